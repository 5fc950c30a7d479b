import { defineErrors } from '../shared/errors.js';

/**
 * Why a settlement step refuses (PAY-4): answered by the operator routes
 * (src/settlement/routes.ts) and printed by the operator command
 * (src/ops/settlement-commands.ts).
 */
export const settlementErrors = defineErrors('settlement', {
  settlement_invalid_date: { status: 400, title: 'Not a calendar date (YYYY-MM-DD)' },
  settlement_day_not_over: { status: 409, title: 'The business day has not ended yet', hint: 'Close a JST day once it is over (plus a few minutes for payments still committing).' },
  settlement_ledger_mismatch: { status: 409, title: 'The settlement does not agree with the ledger for this day', hint: 'Nothing was booked or written; investigate the listed stores first.' },
  settlement_fees_changed: { status: 409, title: 'The fees booked at close differ from the fees computed now' },
  settlement_not_closed: { status: 409, title: 'The day is not closed: its fees are not booked', hint: 'Run `settlement close --date` first.' },
  settlement_no_bank_account: { status: 409, title: 'A payee has no bank account on file', hint: 'Set one with `bank set --merchant` or `bank set --store`.' },
  settlement_invalid_bank_details: { status: 400, title: 'The bank details are not valid for a Zengin transfer file' },
  settlement_remitter_missing: { status: 409, title: "Konpay's own remitter details are not configured", hint: 'Set the PAYOUT_* variables (README, Configuration).' },
  settlement_not_found: { status: 404, title: 'No such merchant or store' },
});

export type SettlementErrorCode = keyof typeof settlementErrors.codes;

/** A refusal as a value: the code, and what exactly was wrong. */
export interface Refusal {
  kind: 'refused';
  code: SettlementErrorCode;
  detail: string;
}

export const refuse = (code: SettlementErrorCode, detail: string): Refusal => ({ kind: 'refused', code, detail });
