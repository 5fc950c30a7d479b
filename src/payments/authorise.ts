/**
 * Authorising payments at the till (PAY-2, PAY-5, WAL-5), a batch at a time: the payment
 * batcher hands over the payments that arrived together and they share one transaction
 * and one round trip per step, whatever their number (DESIGN.md, Ledger). A batch of
 * one is the same code path: there is no other.
 *
 * Each payment is still judged on its own, in the order the single-payment rules read:
 * store and order (one query for all), the code (one statement uses every code), the
 * payers' accounts and wallets (locked together, in id order), their 24-hour payments,
 * then per payment — frozen, restricted, limits, funds, risk — with a running balance
 * and running 24-hour total per wallet, so two payments of one customer in a batch see
 * each other. Then the writes, each one statement for the whole batch: the payment rows
 * (which claim their order ids before money moves), the transfers (a hot merchant
 * account is written once per batch), declines and codes given back, merchant events,
 * the customers' notices.
 *
 * A decline changes nothing but its own record: checks run before any write, and a code
 * used up before a later check declines is given back in the same transaction, so the
 * customer can top up and pay with the same code.
 */
import { randomInt } from 'node:crypto';
import type { Queryable } from '../db/pool.js';
import { consumePaymentCodes, giveCodesBack, type CodeOutcome } from '../codes/consume.js';
import { findUser } from '../identity/repo/users.js';
import type { TerminalIdentity } from '../pos/verify.js';
import { jstDate } from '../shared/jst.js';
import { newUuid, toPublicId } from '../shared/ids.js';
import { availableOf, balanceOf, payableCode } from '../wallet/ledger/accounts.js';
import { postFreshTransfers, type NewTransfer } from '../wallet/ledger/ledger.js';
import type { AccountRow } from '../wallet/ledger/repo.js';
import { checkPayment, type Limits } from '../wallet/limits.js';
import { applyOverride } from '../wallet/overrides.js';
import { findOverrides } from '../wallet/overrides-repo.js';
import { notifyMovements } from '../wallet/notices.js';
import { paymentsSince } from '../wallet/repo.js';
import { balanceUsageOf } from '../wallet/service.js';
import type { DeclineReason } from './declines.js';
import type { PaymentsDeps } from './deps.js';
import type { JudgedPayment, PaymentRiskInput, PaymentRiskVerdict } from './risk.js';
import { insertDeclines, insertPayments, lockPayers, prechecks, type Payer, type PaymentRow, type Precheck } from './repo.js';
import { paymentEventData } from './views.js';

export interface AuthoriseInput {
  code: string;
  amount: number;
  orderId: string;
  categories: readonly string[];
}

export interface PaymentAsk {
  terminal: TerminalIdentity;
  input: AuthoriseInput;
}

export type AuthoriseResult =
  | { kind: 'approved'; payment: PaymentRow }
  | { kind: 'declined'; reason: DeclineReason };

const DAY = 86_400_000;

const isRiskDecline = (d: DeclineReason) => d === 'risk_review' || d === 'risk_declined';

/** One payment's way through the batch. */
interface Item {
  ask: PaymentAsk;
  pre?: Precheck;
  code?: Extract<CodeOutcome, { kind: 'ok' }>;
  decline?: DeclineReason;
  payment?: PaymentRow;
  /** The risk engine's answer, once the payment reached that check. */
  risk?: PaymentRiskVerdict;
  declineId?: string;
}

/** A payer's wallet as the batch's approvals leave it. */
interface Running {
  payer: Payer;
  /** The payer's limits: the configured ones with an operator's override, if any. */
  limits: Limits;
  wallet: AccountRow;
  available: number;
  balance: number;
  payments24h: number;
}

/** Runs inside the caller's transaction; answers one result per ask, in order. */
export async function authorisePayments(deps: PaymentsDeps, q: Queryable, asks: readonly PaymentAsk[]): Promise<AuthoriseResult[]> {
  const now = deps.clock.now();
  const items: Item[] = asks.map((ask) => ({ ask }));
  const live = () => items.filter((it) => !it.decline);

  await checkStores(deps, q, items, now);
  await useCodes(deps, q, live(), now);
  const wallets = await lockWallets(deps, q, live(), now);
  const risks = await assessRisk(deps, q, live(), wallets, now);
  await judge(deps, q, live(), wallets, risks, now);
  await record(deps, q, items, wallets, now);

  return items.map((it): AuthoriseResult => (it.payment
    ? { kind: 'approved', payment: it.payment }
    : { kind: 'declined', reason: it.decline! }));
}

/** The store-side checks; one order id paid once even when a batch carries it twice. */
async function checkStores(deps: PaymentsDeps, q: Queryable, items: Item[], now: Date): Promise<void> {
  const { rules } = deps;
  const since = new Date(now.getTime() - rules.unknownCodesWindowMs);
  const pres = await prechecks(q, items.map(({ ask }) => ({ storeId: ask.terminal.storeId, terminalId: ask.terminal.id, orderId: ask.input.orderId })), since);
  const orders = new Set<string>();
  items.forEach((it, i) => {
    const pre = pres[i];
    const { terminal, input } = it.ask;
    // A terminal trying code after code is guessing: it is paused, and flagged in the log
    // the operations console reads (declines per terminal).
    if (pre && pre.unknown_codes >= rules.unknownCodesPerWindow) {
      deps.logger.warn({ terminal: toPublicId('trm', terminal.id), unknownCodes: pre.unknown_codes }, 'terminal flagged: too many unknown payment codes');
      it.decline = 'terminal_throttled';
      return;
    }
    if (!pre || pre.store_status !== 'active' || pre.merchant_status !== 'active') {
      it.decline = 'store_suspended';
      return;
    }
    it.pre = pre;
    // One sale, one payment: a till retrying under a new key is told, not charged again.
    const order = `${terminal.storeId}\u0000${input.orderId}`;
    if (pre.order_taken || orders.has(order)) it.decline = 'duplicate_order';
    orders.add(order);
  });
}

async function useCodes(deps: PaymentsDeps, q: Queryable, items: Item[], now: Date): Promise<void> {
  const outcomes = await consumePaymentCodes(deps, q, items.map((it) => it.ask.input.code), now);
  items.forEach((it, i) => {
    const o = outcomes[i]!;
    if (o.kind === 'ok') it.code = o;
    else it.decline = `code_${o.kind}`;
  });
}

/**
 * Locks the payers and their wallets and reads what their limits need: their 24-hour
 * payments and their overrides, one query each for the whole batch. The overrides are
 * read after the lock, not joined into it: a join's row would come from the statement's
 * snapshot even when the lock waited for an operator's change to commit (the change
 * locks the account row too, src/ops/console/limits.ts), and a lowered cap must hold
 * from its commit on.
 */
async function lockWallets(deps: PaymentsDeps, q: Queryable, items: Item[], now: Date): Promise<Map<string, Running>> {
  const userIds = [...new Set(items.map((it) => it.code!.userId))];
  if (userIds.length === 0) return new Map();
  const locked = await lockPayers(q, userIds);
  const usage = await paymentsSince(q, [...locked.values()].map((l) => l.wallet.id), new Date(now.getTime() - DAY));
  const overrides = await findOverrides(q, [...locked.keys()]);
  return new Map([...locked].map(([userId, { payer, wallet }]) => [userId, {
    payer, limits: applyOverride(deps.limits, overrides.get(userId)), wallet, available: availableOf(wallet), balance: balanceOf(wallet), payments24h: usage.get(wallet.id) ?? 0,
  }]));
}

const riskInput = (it: Item): PaymentRiskInput => ({
  userId: it.code!.userId, deviceId: it.code!.deviceId, storeId: it.ask.terminal.storeId, amount: it.ask.input.amount, categories: it.ask.input.categories,
});

/**
 * The risk engine's signals for every payer of the batch in one read, before judging:
 * a payment declined by an earlier check simply never looks at its answer. Two payments
 * of one customer in one batch see the same signals (neither sees the other): the
 * velocity rules count in windows of minutes, one batch is milliseconds.
 */
async function assessRisk(deps: PaymentsDeps, q: Queryable, items: Item[], wallets: Map<string, Running>, now: Date): Promise<Map<Item, PaymentRiskVerdict>> {
  const asked = items.filter((it) => wallets.has(it.code!.userId));
  if (asked.length === 0) return new Map();
  const verdicts = await deps.risk.assessMany(q, asked.map(riskInput), now);
  return new Map(asked.map((it, i) => [it, verdicts[i]!]));
}

/**
 * The till cannot ask for a second factor: a step-up or a hold declines `risk_review`
 * (the customer is told to verify in the app, or that an analyst is looking), a deny
 * `risk_declined`. The reasons stay in our log and the case.
 */
const RISK_DECLINES: Record<Exclude<PaymentRiskVerdict['outcome'], 'allow'>, DeclineReason> = {
  step_up: 'risk_review', hold: 'risk_review', deny: 'risk_declined',
};

/** The customer-side checks, payment by payment, each seeing the ones approved before it. */
async function judge(deps: PaymentsDeps, q: Queryable, items: Item[], wallets: Map<string, Running>, risks: Map<Item, PaymentRiskVerdict>, now: Date): Promise<void> {
  for (const it of items) {
    const { input, terminal } = it.ask;
    const code = it.code!;
    const w = wallets.get(code.userId);
    if (!w) {
      // No wallet: the account never held money. Say frozen if it is, else not enough.
      const user = await findUser(q, code.userId);
      it.decline = user?.frozen_at ? 'account_frozen' : 'insufficient_balance';
      continue;
    }
    if (w.payer.frozen_at) {
      it.decline = 'account_frozen';
      continue;
    }
    const restricted = !!w.payer.restricted_until && w.payer.restricted_until > now;
    const limit = checkPayment(w.limits, { ...balanceUsageOf(w.wallet), payments24h: w.payments24h }, input.amount, restricted);
    if (!limit.ok) {
      it.decline = limit.reason === 'restricted_mode' ? 'account_restricted' : 'limit_exceeded';
      continue;
    }
    if (w.available < input.amount) {
      it.decline = 'insufficient_balance';
      continue;
    }
    const risk = risks.get(it);
    it.risk = risk;
    if (risk && risk.outcome !== 'allow') {
      deps.logger.info({ user: toPublicId('usr', w.payer.user_id), outcome: risk.outcome, reasons: risk.reasons }, 'payment declined by risk checks');
      it.decline = RISK_DECLINES[risk.outcome];
      continue;
    }
    w.available -= input.amount;
    w.payments24h += input.amount;
    const id = newUuid();
    it.payment = {
      id, merchant_id: terminal.merchantId, store_id: terminal.storeId, terminal_id: terminal.id, user_id: code.userId, code_id: code.codeId,
      order_id: input.orderId, amount: input.amount, fee: Math.floor((input.amount * deps.rules.feeBps) / 10_000), categories: [...input.categories],
      status: 'approved', refunded: 0, transfer_id: newUuid(), business_date: jstDate(now), created_at: now, canceled_at: null, cancel_transfer_id: null,
    };
  }
}

/** Every write of the batch, one statement each. */
async function record(deps: PaymentsDeps, q: Queryable, items: Item[], wallets: Map<string, Running>, now: Date): Promise<void> {
  // The rows first: they claim the order ids (the check above ran unlocked, and a
  // concurrent payment of the same order may have won since), before any money moves.
  const proposed = items.filter((it) => it.payment);
  const inserted = proposed.length ? await insertPayments(q, proposed.map((it) => it.payment!)) : new Set<string>();
  for (const it of proposed) {
    if (inserted.has(it.payment!.id)) continue;
    it.payment = undefined;
    it.decline = 'duplicate_order';
  }
  const approved = items.filter((it) => it.payment);

  // A random shard of each merchant's payable account per batch: a chain's payments must
  // not queue on one row, and a batch writes each shard it uses once.
  const payable = new Map<string, string>();
  for (const merchantId of new Set(approved.map((it) => it.ask.terminal.merchantId))) {
    payable.set(merchantId, await deps.accounts.ensure(q, payableCode(merchantId, randomInt(deps.rules.payableShards)), 'merchant_payable', now));
  }
  const transfers: NewTransfer[] = approved.map(({ payment: p, pre }) => ({
    id: p!.transfer_id, debitAccountId: wallets.get(p!.user_id)!.wallet.id, creditAccountId: payable.get(p!.merchant_id)!, amount: p!.amount, kind: 'payment',
    metadata: { payment: toPublicId('pay', p!.id), store: toPublicId('sto', p!.store_id), description: pre!.store_name },
  }));
  await postFreshTransfers(q, transfers, now);

  const declined = items.filter((it) => it.decline);
  for (const it of declined) it.declineId = newUuid();
  // A code stopped by the risk engine stays used: the till cannot retry it (each retry
  // would be declined again, and a hold would open case after case), and the customer
  // gets a fresh one only in the app, where the notice tells them what to do first.
  await giveCodesBack(q, declined.filter((it) => it.code && !isRiskDecline(it.decline!)).map((it) => it.code!.codeId));
  if (declined.length) {
    await insertDeclines(q, declined.map(({ ask: { terminal, input }, code, decline, declineId }) => ({
      id: declineId!, merchantId: terminal.merchantId, storeId: terminal.storeId, terminalId: terminal.id,
      userId: code?.userId ?? null, amount: input.amount, reason: decline!, now,
    })));
  }
  // Every payment that reached the risk check: decisions logged, holds to cases, customers told.
  const judged = items.filter((it) => it.risk).map((it): JudgedPayment => ({
    input: riskInput(it), verdict: it.risk!, storeName: it.pre!.store_name,
    subject: it.payment ? { type: 'payment', id: toPublicId('pay', it.payment.id) } : { type: 'payment_decline', id: it.declineId! },
  }));
  if (judged.length) await deps.risk.record(q, judged, now);
  if (approved.length === 0) return;

  await deps.merchantEvents?.emitMany(q, approved.map(({ payment: p }) => ({ merchantId: p!.merchant_id, type: 'payment.approved', data: paymentEventData(p!), now })));
  // Each notice tells the balance after its own payment, in the batch's order.
  const balances = new Map([...wallets].map(([userId, w]) => [userId, w.balance]));
  await notifyMovements(q, deps, approved.map(({ payment: p, pre }) => {
    const balance = balances.get(p!.user_id)! - p!.amount;
    balances.set(p!.user_id, balance);
    return { userId: p!.user_id, notice: { kind: 'payment', amount: -p!.amount, balance, description: pre!.store_name, at: now } };
  }));
}
