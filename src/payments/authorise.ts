/**
 * Authorising a payment at the till (PAY-2, PAY-5, WAL-5). Runs inside the caller's
 * transaction (the idempotent request's), in the lock order every till operation uses:
 * the code row, the account, then the wallet. It is the hottest path of the service, so
 * it is written for round trips: one query for the store-side checks, one to use the
 * code, one to lock the account and wallet, one for the limits, the payment row (which
 * claims the order id before money moves), three for the transfer, and the merchant
 * event and the customer's notice.
 *
 * A decline changes nothing but its own record: checks run before any write, and a code
 * used up before a later check declines is given back in the same transaction, so the
 * customer can top up and pay with the same code.
 */
import { randomInt } from 'node:crypto';
import type { Queryable } from '../db/pool.js';
import { consumePaymentCode, giveCodeBack } from '../codes/consume.js';
import { findUser } from '../identity/repo/users.js';
import type { TerminalIdentity } from '../pos/verify.js';
import { jstDate } from '../shared/jst.js';
import { newUuid, toPublicId } from '../shared/ids.js';
import { availableOf, balanceOf, payableCode } from '../wallet/ledger/accounts.js';
import { createTransfer } from '../wallet/ledger/ledger.js';
import { checkPayment } from '../wallet/limits.js';
import { notifyMovement } from '../wallet/notices.js';
import { paymentUsageOf } from '../wallet/service.js';
import type { DeclineReason } from './declines.js';
import type { PaymentsDeps } from './deps.js';
import { insertDecline, insertPayment, lockPayer, precheck, type PaymentRow } from './repo.js';
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

type Attempt = { kind: 'approved'; payment: PaymentRow; storeName: string } | { kind: 'declined'; reason: DeclineReason; userId: string | null };

export async function authorisePayment(deps: PaymentsDeps, q: Queryable, terminal: TerminalIdentity, input: AuthoriseInput): Promise<AuthoriseResult> {
  const now = deps.clock.now();
  const r = await attempt(deps, q, terminal, input, now);
  if (r.kind === 'approved') return r;
  await insertDecline(q, {
    id: newUuid(), merchantId: terminal.merchantId, storeId: terminal.storeId, terminalId: terminal.id,
    userId: r.userId, amount: input.amount, reason: r.reason, now,
  });
  return { kind: 'declined', reason: r.reason };
}

async function attempt(deps: PaymentsDeps, q: Queryable, terminal: TerminalIdentity, input: AuthoriseInput, now: Date): Promise<Attempt> {
  const { rules } = deps;
  const declined = (reason: DeclineReason, userId: string | null = null): Attempt => ({ kind: 'declined', reason, userId });

  const pre = await precheck(q, { storeId: terminal.storeId, terminalId: terminal.id, orderId: input.orderId, since: new Date(now.getTime() - rules.unknownCodesWindowMs) });
  // A terminal trying code after code is guessing: it is paused, and flagged in the log
  // the operations console reads (declines per terminal).
  if (pre && pre.unknown_codes >= rules.unknownCodesPerWindow) {
    deps.logger.warn({ terminal: toPublicId('trm', terminal.id), unknownCodes: pre.unknown_codes }, 'terminal flagged: too many unknown payment codes');
    return declined('terminal_throttled');
  }
  if (!pre || pre.store_status !== 'active' || pre.merchant_status !== 'active') return declined('store_suspended');
  // One sale, one payment: a till retrying under a new key is told, not charged again.
  if (pre.order_taken) return declined('duplicate_order');

  const code = await consumePaymentCode(deps, q, input.code, now);
  if (code.kind !== 'ok') return declined(`code_${code.kind}`);
  const decline = async (reason: DeclineReason, userId: string): Promise<Attempt> => {
    await giveCodeBack(q, code.codeId);
    return declined(reason, userId);
  };

  const locked = await lockPayer(q, code.userId);
  if (!locked) {
    // No wallet: the account never held money. Say frozen if it is, else not enough.
    const user = await findUser(q, code.userId);
    return decline(user?.frozen_at ? 'account_frozen' : 'insufficient_balance', code.userId);
  }
  const { payer, wallet } = locked;
  if (payer.frozen_at) return decline('account_frozen', payer.user_id);
  const restricted = !!payer.restricted_until && payer.restricted_until > now;
  const limit = checkPayment(deps.limits, await paymentUsageOf(q, wallet, now), input.amount, restricted);
  if (!limit.ok) return decline(limit.reason === 'restricted_mode' ? 'account_restricted' : 'limit_exceeded', payer.user_id);
  if (availableOf(wallet) < input.amount) return decline('insufficient_balance', payer.user_id);

  const risk = await deps.risk.assess(q, { userId: payer.user_id, deviceId: code.deviceId, storeId: terminal.storeId, amount: input.amount, categories: input.categories, now });
  if (risk.decision === 'deny') {
    deps.logger.info({ user: toPublicId('usr', payer.user_id), reasons: risk.reasons }, 'payment declined by risk checks');
    return decline('risk_declined', payer.user_id);
  }

  const id = newUuid();
  const transferId = newUuid();
  const payment: PaymentRow = {
    id, merchant_id: terminal.merchantId, store_id: terminal.storeId, terminal_id: terminal.id, user_id: payer.user_id, code_id: code.codeId,
    order_id: input.orderId, amount: input.amount, fee: Math.floor((input.amount * rules.feeBps) / 10_000), categories: [...input.categories],
    status: 'approved', refunded: 0, transfer_id: transferId, business_date: jstDate(now), created_at: now, canceled_at: null, cancel_transfer_id: null,
  };
  // The row first: it claims the order id (the check above ran unlocked, and a concurrent
  // payment of the same order may have won since), before any money moves.
  if (!(await insertPayment(q, payment))) return decline('duplicate_order', payer.user_id);

  // A random shard of the merchant's payable account: a chain's payments must not queue on one row.
  const payableId = await deps.accounts.ensure(q, payableCode(terminal.merchantId, randomInt(rules.payableShards)), 'merchant_payable', now);
  const moved = await createTransfer(q, {
    phase: 'single', id: transferId, debitAccountId: wallet.id, creditAccountId: payableId, amount: input.amount, kind: 'payment',
    metadata: { payment: toPublicId('pay', id), store: toPublicId('sto', terminal.storeId), description: pre.store_name },
  }, now, { fresh: true });
  // The wallet is locked and its balance checked: only a bug refuses now.
  if (moved.kind !== 'created') throw new Error(`payment refused by the ledger: ${moved.kind}`);

  await deps.merchantEvents?.emit(q, { merchantId: terminal.merchantId, type: 'payment.approved', data: paymentEventData(payment), now });
  await notifyMovement(q, deps, { id: payer.user_id }, { kind: 'payment', amount: -input.amount, balance: balanceOf(wallet) - input.amount, description: pre.store_name, at: now });
  return { kind: 'approved', payment, storeName: pre.store_name };
}
