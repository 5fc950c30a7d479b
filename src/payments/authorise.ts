/**
 * Authorising a payment at the till (PAY-2, PAY-5, WAL-5). Runs inside the caller's
 * transaction (the idempotent request's), in the lock order every till operation uses:
 * the code row, the account, then the wallet. A decline undoes everything the attempt
 * wrote — the code's use included, so the customer can top up and pay with the same code
 * — and is recorded on its own for the terminal's guess counter and the console.
 *
 * The money moves in one transfer from the wallet to one of the merchant's payable
 * shards (a random one: a chain's payments must not queue on one row).
 */
import { randomInt } from 'node:crypto';
import type { Queryable } from '../db/pool.js';
import { undoUnless } from '../db/savepoint.js';
import { consumePaymentCode } from '../codes/consume.js';
import { findUser } from '../identity/repo/users.js';
import type { TerminalIdentity } from '../pos/verify.js';
import { jstDate } from '../shared/jst.js';
import { newUuid, toPublicId } from '../shared/ids.js';
import { availableOf, balanceOf, ensureAccount, lockWallet } from '../wallet/ledger/accounts.js';
import { createTransfer } from '../wallet/ledger/ledger.js';
import { checkPayment } from '../wallet/limits.js';
import { notifyMovement } from '../wallet/notices.js';
import { usageOf } from '../wallet/service.js';
import type { DeclineReason } from './declines.js';
import type { PaymentsDeps } from './deps.js';
import { countUnknownCodes, findPaymentByOrder, findStoreStatus, insertDecline, insertPayment, type PaymentRow } from './repo.js';
import { paymentEventData } from './views.js';

export interface AuthoriseInput {
  code: string;
  amount: number;
  orderId: string;
  categories: readonly string[];
}

export type AuthoriseResult =
  | { kind: 'approved'; payment: PaymentRow; storeName: string }
  | { kind: 'declined'; reason: DeclineReason };

type Attempt = AuthoriseResult | { kind: 'declined'; reason: DeclineReason; userId: string | null };

export const payableCode = (merchantId: string, shard: number) => `merchant_payable:${merchantId}:${shard}`;

export async function authorisePayment(deps: PaymentsDeps, q: Queryable, terminal: TerminalIdentity, input: AuthoriseInput): Promise<AuthoriseResult> {
  const now = deps.clock.now();
  const r: Attempt = await undoUnless(q, 'payment', () => attempt(deps, q, terminal, input, now), (a) => a.kind === 'approved');
  if (r.kind === 'approved') return r;
  await insertDecline(q, {
    id: newUuid(), merchantId: terminal.merchantId, storeId: terminal.storeId, terminalId: terminal.id,
    userId: 'userId' in r ? r.userId : null, amount: input.amount, reason: r.reason, now,
  });
  return { kind: 'declined', reason: r.reason };
}

async function attempt(deps: PaymentsDeps, q: Queryable, terminal: TerminalIdentity, input: AuthoriseInput, now: Date): Promise<Attempt> {
  const { rules } = deps;
  const declined = (reason: DeclineReason, userId: string | null = null): Attempt => ({ kind: 'declined', reason, userId });

  // A terminal trying code after code is guessing: it is paused, and flagged in the log
  // the operations console reads (declines per terminal).
  const guesses = await countUnknownCodes(q, terminal.id, new Date(now.getTime() - rules.unknownCodesWindowMs));
  if (guesses >= rules.unknownCodesPerWindow) {
    deps.logger.warn({ terminal: toPublicId('trm', terminal.id), unknownCodes: guesses }, 'terminal flagged: too many unknown payment codes');
    return declined('terminal_throttled');
  }
  const store = await findStoreStatus(q, terminal.storeId);
  if (!store || store.store_status !== 'active' || store.merchant_status !== 'active') return declined('store_suspended');

  // One sale, one payment: a till retrying under a new key is told, not charged again.
  if (await findPaymentByOrder(q, terminal.storeId, input.orderId)) return declined('duplicate_order');

  const code = await consumePaymentCode(deps, q, input.code, now);
  if (code.kind !== 'ok') return declined(`code_${code.kind}`);
  const user = await findUser(q, code.userId, { lock: true });
  if (!user) throw new Error('payment code names no account'); // a foreign key: a miss is a bug
  if (user.frozen_at) return declined('account_frozen', user.id);

  const wallet = await lockWallet(q, user.id, now);
  const restricted = !!user.restricted_until && user.restricted_until > now;
  const limit = checkPayment(deps.limits, await usageOf(q, wallet, now), input.amount, restricted);
  if (!limit.ok) return declined(limit.reason === 'restricted_mode' ? 'account_restricted' : 'limit_exceeded', user.id);
  if (availableOf(wallet) < input.amount) return declined('insufficient_balance', user.id);

  const risk = await deps.risk.assess(q, { userId: user.id, deviceId: code.deviceId, storeId: terminal.storeId, amount: input.amount, categories: input.categories, now });
  if (risk.decision === 'deny') {
    deps.logger.info({ user: toPublicId('usr', user.id), reasons: risk.reasons }, 'payment declined by risk checks');
    return declined('risk_declined', user.id);
  }

  const id = newUuid();
  const payable = await ensureAccount(q, payableCode(terminal.merchantId, randomInt(rules.payableShards)), 'merchant_payable', null, now);
  const transferId = newUuid();
  const moved = await createTransfer(q, {
    phase: 'single', id: transferId, debitAccountId: wallet.id, creditAccountId: payable.id, amount: input.amount, kind: 'payment',
    metadata: { payment: toPublicId('pay', id), store: toPublicId('sto', terminal.storeId), description: store.name },
  }, now);
  if (moved.kind === 'insufficient_funds') return declined('insufficient_balance', user.id);
  if (moved.kind !== 'created') throw new Error(`payment refused by the ledger: ${moved.kind}`);

  const payment: PaymentRow = {
    id, merchant_id: terminal.merchantId, store_id: terminal.storeId, terminal_id: terminal.id, user_id: user.id, code_id: code.codeId,
    order_id: input.orderId, amount: input.amount, fee: Math.floor((input.amount * rules.feeBps) / 10_000), categories: [...input.categories],
    status: 'approved', refunded: 0, transfer_id: transferId, business_date: jstDate(now), created_at: now, canceled_at: null, cancel_transfer_id: null,
  };
  if (!(await insertPayment(q, payment))) return declined('duplicate_order', user.id);

  await deps.merchantEvents?.emit(q, { merchantId: terminal.merchantId, type: 'payment.approved', data: paymentEventData(payment), now });
  await notifyMovement(q, deps, user, { kind: 'payment', amount: -input.amount, balance: balanceOf(wallet) - input.amount, description: store.name, at: now });
  return { kind: 'approved', payment, storeName: store.name };
}
