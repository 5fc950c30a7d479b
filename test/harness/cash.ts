/**
 * Cash top-ups at the register for tests: the till's signed request, and the wallet and
 * code as the database holds them (read directly, so a frozen account can be checked too).
 */
import { balanceOf, walletCode } from '../../src/wallet/ledger/accounts.js';
import { findAccountByCode } from '../../src/wallet/ledger/repo.js';
import type { PosResponse } from '../../src/pos/client.js';
import type { TestKonpay } from './konpay.js';
import type { TestTerminal } from './pos.js';

export const CASH_TOPUPS = '/pos/v1/cash-topups';

let keys = 0;
export const tillKey = () => `till-${process.pid}-${Date.now()}-${++keys}`;

export interface Receipt {
  id: string;
  amount: number;
  createdAt: string;
  store: { id: string; name: string };
  terminalId: string;
  codeEnding: string;
}

/** The till asks for a cash top-up, signed afresh; a new Idempotency-Key unless given. */
export function cashTopup(term: TestTerminal, code: string, amount: number, key: string | null = tillKey()): Promise<PosResponse> {
  return term.client.request('POST', CASH_TOPUPS, { code, amount }, key === null ? {} : { idempotencyKey: key });
}

export async function balanceOfUser(t: TestKonpay, uid: string): Promise<number> {
  const wallet = await findAccountByCode(t.konpay.pool, walletCode(uid));
  return wallet ? balanceOf(wallet) : 0;
}

/** The cash top-ups credited to the account's wallet, oldest first. */
export async function cashCredits(t: TestKonpay, uid: string): Promise<{ id: string; amount: number; metadata: Record<string, unknown> }[]> {
  return (await t.konpay.pool.query<{ id: string; amount: number; metadata: Record<string, unknown> }>(
    `SELECT tr.id, tr.amount, tr.metadata FROM ledger_transfers tr JOIN ledger_accounts a ON a.id = tr.credit_account_id
      WHERE a.code = $1 AND tr.kind = 'topup_cash' ORDER BY tr.created_at, tr.id`,
    [walletCode(uid)],
  )).rows;
}

/** Whether the code's row is marked used (a refused top-up must leave it open). */
export async function codesUsed(t: TestKonpay, uid: string): Promise<number> {
  return (await t.konpay.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM payment_codes WHERE user_id = $1 AND used_at IS NOT NULL`, [uid])).rows[0]!.n;
}
