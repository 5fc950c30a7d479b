/**
 * The payout of a closed business day: one bank transfer per payee (a store with its
 * own account, else its merchant, whose stores without accounts are then paid
 * together) of the sum of its stores' nets. A payee whose net is zero or negative is
 * not paid that day and is listed as carried: its refunds exceeded its sales, and what
 * it owes stays on its payable account in the ledger.
 *
 * Refused, with nothing written, when the day's settlement disagrees with the ledger,
 * when the day is not closed (fees not booked), or when a payee has no valid account.
 */
import { fromPublicId } from '../shared/ids.js';
import { dayIsOver } from './dates.js';
import { feeBookings, readDay, type SettlementDeps } from './close.js';
import { refuse, type Refusal } from './errors.js';
import { validateBankAccount } from './bank-accounts.js';
import { checkAgainstLedger, describeDifferences } from './ledger-check.js';
import { bankAccountsFor, type BankAccountRow } from './repo.js';
import { settlementReport, type SettlementReport } from './report.js';
import { zenginTransferFile, type Remitter, type ZenginTransfer } from './zengin.js';

export interface Payee {
  /** Whose account: `sto_…` (a store's own) or `mer_…`. */
  payee: string;
  stores: string[];
  net: number;
}

export type PayoutResult =
  | { kind: 'ready'; file: Buffer; report: SettlementReport; paid: Payee[]; carried: Payee[]; total: number }
  | Refusal;

export async function preparePayout(deps: SettlementDeps, date: string, remitter: Remitter | undefined, payOn: string): Promise<PayoutResult> {
  if (!remitter) return refuse('settlement_remitter_missing', 'PAYOUT_REMITTER_CODE and the other PAYOUT_* settings are not set');
  if (!dayIsOver(date, deps.clock.now())) return refuse('settlement_day_not_over', `${date} (JST) is not over`);
  return readDay(deps.pool, async (q): Promise<PayoutResult> => {
    const report = await settlementReport(q, date);
    const check = await checkAgainstLedger(q, report);
    if (check.kind === 'disagrees') return refuse('settlement_ledger_mismatch', describeDifferences(check.differences));
    const bookings = await feeBookings(q, report);
    if (bookings.changed.length) return refuse('settlement_fees_changed', `stores ${bookings.changed.join(', ')}`);
    if (bookings.missing.length) return refuse('settlement_not_closed', `fees not booked for ${bookings.missing.join(', ')}`);

    const accounts = await bankAccountsFor(q, report.stores.map((s) => fromPublicId('sto', s.storeId)!), report.stores.map((s) => fromPublicId('mer', s.merchantId)!));
    const byStore = new Map(accounts.filter((a) => a.store_id).map((a) => [a.store_id!, a]));
    const byMerchant = new Map(accounts.filter((a) => a.merchant_id).map((a) => [a.merchant_id!, a]));

    const payees = new Map<string, Payee & { account: BankAccountRow }>();
    const unpaid: string[] = [];
    for (const s of report.stores) {
      const own = byStore.get(fromPublicId('sto', s.storeId)!);
      const account = own ?? byMerchant.get(fromPublicId('mer', s.merchantId)!);
      if (!account) {
        unpaid.push(s.storeId);
        continue;
      }
      const key = own ? s.storeId : s.merchantId;
      const p = payees.get(key) ?? { payee: key, stores: [], net: 0, account };
      p.stores.push(s.storeId);
      p.net += s.net;
      payees.set(key, p);
    }
    if (unpaid.length) return refuse('settlement_no_bank_account', `no account for store ${unpaid.join(', ')} or its merchant`);

    const invalid = [...payees.values()].flatMap((p) => {
      const v = validateBankAccount(detailsOf(p.account));
      return v.kind === 'valid' ? [] : [`${p.payee}: ${v.detail}`];
    });
    if (invalid.length) return refuse('settlement_invalid_bank_details', invalid.join(' | '));

    const ordered = [...payees.values()].sort((a, b) => (a.payee < b.payee ? -1 : 1));
    const paid = ordered.filter((p) => p.net > 0);
    const transfers: ZenginTransfer[] = paid.map((p) => ({ ...zenginAccount(p.account), holder: p.account.holder_kana, amount: p.net }));
    const strip = ({ account: _a, ...p }: Payee & { account: BankAccountRow }): Payee => p;
    return {
      kind: 'ready', file: zenginTransferFile(remitter, payOn, transfers), report,
      paid: paid.map(strip), carried: ordered.filter((p) => p.net <= 0).map(strip), total: transfers.reduce((s, t) => s + t.amount, 0),
    };
  });
}

const detailsOf = (a: BankAccountRow) => ({
  bankCode: a.bank_code, bankName: a.bank_name_kana, branchCode: a.branch_code, branchName: a.branch_name_kana,
  accountType: a.account_type, accountNumber: a.account_number, holder: a.holder_kana,
});

const zenginAccount = (a: BankAccountRow) => ({
  bankCode: a.bank_code, bankName: a.bank_name_kana, branchCode: a.branch_code, branchName: a.branch_name_kana,
  accountType: a.account_type, accountNumber: a.account_number,
});
