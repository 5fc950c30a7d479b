/**
 * Cash top-up at the register (WAL-4, WAL-5): the customer shows a one-time payment code
 * and hands over cash; the cashier's terminal, having signed the request, asks us to
 * credit the wallet behind the code.
 *
 * Runs inside the caller's transaction (the idempotent request's), in the lock order a
 * till payment uses too: the code row, the account, then the wallet. The money moves in
 * one transfer from the store's cash account, and the customer is told in the same
 * transaction, so the notice exists exactly when the credit does.
 *
 * A refusal undoes everything the attempt wrote, the code's use included: a customer
 * whose ¥5,000 would pass the balance limit can hand over ¥3,000 with the same code.
 * The refusal itself is still recorded as the idempotent answer by the caller.
 */
import type { Queryable } from '../db/pool.js';
import { consumePaymentCode } from '../codes/consume.js';
import type { CodeRefusal } from '../codes/refusals.js';
import { findUser } from '../identity/repo/users.js';
import type { TerminalIdentity } from '../pos/verify.js';
import { newUuid, toPublicId } from '../shared/ids.js';
import { balanceOf, ensureAccount, lockWallet } from '../wallet/ledger/accounts.js';
import { createTransfer } from '../wallet/ledger/ledger.js';
import { checkCashTopup, type LimitReason } from '../wallet/limits.js';
import { limitsFor } from '../wallet/overrides-repo.js';
import { notifyMovement } from '../wallet/notices.js';
import { balanceUsageOf } from '../wallet/service.js';
import type { CashDeps } from './deps.js';
import { undoUnless } from '../db/savepoint.js';

export interface CashCredit {
  transferId: string;
  amount: number;
  at: Date;
  store: { id: string; name: string };
  terminalId: string;
  /** The scanned code's last digits: the code is used up, so they name nobody. */
  codeEnding: string;
}

export type CashTopupResult =
  | ({ kind: 'credited' } & CashCredit)
  | { kind: 'code_refused'; reason: CodeRefusal }
  | { kind: 'frozen' }
  | { kind: 'limit'; reason: LimitReason; limit: number; remaining: number };

export function creditCash(deps: CashDeps, q: Queryable, terminal: TerminalIdentity, input: { code: string; amount: number }): Promise<CashTopupResult> {
  return undoUnless(q, 'cash_topup', () => attempt(deps, q, terminal, input), (r) => r.kind === 'credited');
}

async function attempt(deps: CashDeps, q: Queryable, terminal: TerminalIdentity, input: { code: string; amount: number }): Promise<CashTopupResult> {
  const now = deps.clock.now();
  const code = await consumePaymentCode(deps, q, input.code, now);
  if (code.kind !== 'ok') return { kind: 'code_refused', reason: code.kind };

  const user = await findUser(q, code.userId, { lock: true });
  if (!user) throw new Error('payment code names no account'); // a foreign key: a miss is a bug
  if (user.frozen_at) return { kind: 'frozen' };
  // Restricted mode (ID-10) is not checked on purpose: it stops card top-ups, which a
  // stolen account can drive from afar with a stolen card; cash is handed over in person
  // at a till, and the restricted account's payments stay capped anyway.

  const wallet = await lockWallet(q, user.id, now);
  // This customer's balance maximum (an operator may have changed it), read under the locks.
  const decision = checkCashTopup(await limitsFor(q, deps.limits, user.id), balanceUsageOf(wallet), input.amount);
  if (!decision.ok) return { kind: 'limit', reason: decision.reason, limit: decision.limit, remaining: tillRemaining(deps, decision) };

  const storeId = toPublicId('sto', terminal.storeId);
  const terminalId = toPublicId('trm', terminal.id);
  const description = `${terminal.storeName} (cash)`;
  const till = await ensureAccount(q, `store_cash:${terminal.storeId}`, 'store_cash', null, now);
  const transferId = newUuid();
  const moved = await createTransfer(q, {
    phase: 'single', id: transferId, debitAccountId: till.id, creditAccountId: wallet.id, amount: input.amount,
    kind: 'topup_cash', metadata: { description, store: storeId, terminal: terminalId },
  }, now);
  // A store's cash account may go negative (it owes us the cash) and the id is new: only a bug refuses.
  if (moved.kind !== 'created') throw new Error(`cash top-up refused by the ledger: ${moved.kind}`);

  // The wallet is locked: its balance after is the locked one plus this credit.
  await notifyMovement(q, deps, user, { kind: 'topup_cash', amount: input.amount, balance: balanceOf(wallet) + input.amount, description, at: now });
  return {
    kind: 'credited', transferId, amount: input.amount, at: now,
    store: { id: storeId, name: terminal.storeName }, terminalId, codeEnding: input.code.slice(-4),
  };
}

/**
 * What is left of a limit, as the till may see it. Room under the balance cap is the
 * customer's balance in disguise, so the till gets it only in whole cash steps: enough to
 * say "¥3,000 would fit", not what the wallet holds.
 */
function tillRemaining(deps: CashDeps, d: { reason: LimitReason; remaining: number }): number {
  if (d.reason !== 'balance_limit') return d.remaining;
  const step = deps.limits.cashTopup.step;
  return Math.floor(d.remaining / step) * step;
}
