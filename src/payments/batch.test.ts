/**
 * The payment batcher: payments submitted together share one transaction, and each is
 * still judged on its own — a batch's declines, duplicates and failures never change its
 * neighbours' outcomes, and nothing is applied twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceOfUser } from '../../test/harness/cash.js';
import type { TestKonpay } from '../../test/harness/konpay.js';
import { codeOf, codesFor, newOrder, payerWith, posKey } from '../../test/harness/payments.js';
import { startTill, type TestTerminal } from '../../test/harness/pos.js';
import { ledgerBalanced } from '../../test/harness/wallet.js';
import { requestDigest, Idempotency, type IdempotentResult } from '../idempotency/idempotency.js';
import { secretBytes } from '../secrets.js';
import { ManualClock } from '../shared/clock.js';
import { fromPublicId } from '../shared/ids.js';
import { AccountIds } from '../wallet/ledger/accounts.js';
import { merchantEvents } from '../webhooks/emit.js';
import type { AuthoriseInput } from './authorise.js';
import { paymentBatcher, type PaymentRequest } from './batch.js';
import type { PaymentsDeps } from './deps.js';
import type { PaymentRisk } from './risk.js';

const clock = new ManualClock('2026-11-25T01:00:00Z');
let t: TestKonpay;
let term: TestTerminal;
/** Payments of this account make the risk hook throw, as a bug in one payment's path would. */
let broken: string | undefined;

beforeAll(async () => {
  ({ t, term } = await startTill(clock));
});
afterAll(() => t?.stop());

function batcher() {
  const risk: PaymentRisk = {
    assessMany: (_q, inputs) => (inputs.some((i) => i.userId === broken)
      ? Promise.reject(new Error('risk engine failed'))
      : Promise.resolve(inputs.map(() => ({ outcome: 'allow' as const, reasons: [] })))),
    record: () => Promise.resolve(),
  };
  const deps: PaymentsDeps = {
    pool: t.konpay.pool, clock, logger: t.konpay.logger, limits: t.config.limits, signingKey: secretBytes(t.config.secrets.signingKey),
    publicUrl: t.config.http.publicUrl, rules: t.config.payments, risk, merchantEvents: merchantEvents(t.konpay.outbox),
    notifier: t.konpay.notifier, accounts: new AccountIds(),
  };
  return paymentBatcher(deps, new Idempotency(t.konpay.pool, clock), { maxBatch: 64, lanes: 1 });
}

const terminal = () => ({
  id: fromPublicId('trm', term.terminalId) ?? term.terminalId, storeId: fromPublicId('sto', term.storeId) ?? term.storeId,
  merchantId: fromPublicId('mer', term.merchantId) ?? term.merchantId, keyId: term.keyId, storeName: 'Shibuya',
});

/** A request as the route makes it; the answer carries the outcome for the test to read. */
function ask(code: string, amount: number, over: Partial<AuthoriseInput> & { key?: string } = {}): PaymentRequest {
  const input = { code, amount, orderId: over.orderId ?? newOrder(), categories: ['food'] };
  return {
    terminal: terminal(), key: over.key ?? posKey(), digest: requestDigest('POST', '/pos/v1/payments', input), input,
    answer: (out) => (out.kind === 'approved' ? { status: 201, body: { id: out.payment.id, amount: out.payment.amount } } : { status: 402, body: { reason: out.reason } }),
  };
}

const reasonOf = (r: IdempotentResult) => ('body' in r ? (r.body as { reason?: string }).reason : r.kind);
const statusOf = (r: IdempotentResult) => ('status' in r ? r.status : r.kind);
const paymentsOf = async (uid: string) => (await t.konpay.pool.query(`SELECT amount FROM payments WHERE user_id = $1 ORDER BY amount`, [uid])).rows.map((r) => Number(r.amount));

describe('payments submitted together', () => {
  it('share one transaction, and each gets its own outcome', async () => {
    const b = batcher();
    const rich = await payerWith(t, term, 10_000);
    const twice = await payerWith(t, term, 5000);
    const racer = await payerWith(t, term, 5000);
    const late = await payerWith(t, term, 5000);
    const [twiceA, twiceB] = await codesFor(t, twice, 2);
    const racedCode = await codeOf(t, racer);
    const order = newOrder();
    const asks = [
      ask(await codeOf(t, rich), 1000, { orderId: order }),
      ask(twiceA!, 3000), ask(twiceB!, 3000), // one customer, 5,000 yen: the second sees the first
      ask(racedCode, 500), ask(racedCode, 500), // one code at two tills: one pays
      ask('99' + '0'.repeat(18), 100), // a code that was never issued
      ask(await codeOf(t, late), 700, { orderId: order }), // the same order as the first
    ];
    const out = await Promise.all(asks.map((a) => b.submit(a)));

    expect(b.stats).toMatchObject({ batches: 1, items: asks.length, split: 0 });
    expect(out.map(statusOf)).toEqual([201, 201, 402, 201, 402, 402, 402]);
    expect(out.map(reasonOf).slice(2)).toEqual(['insufficient_balance', undefined, 'code_used', 'code_unknown', 'duplicate_order']);
    expect(await balanceOfUser(t, rich.uid)).toBe(9000);
    expect(await balanceOfUser(t, twice.uid)).toBe(2000);
    expect(await paymentsOf(twice.uid)).toEqual([3000]);
    expect(await balanceOfUser(t, racer.uid)).toBe(4500);
    expect(await balanceOfUser(t, late.uid)).toBe(5000);
    // Declines changed nothing but their own record; the declined customer's code works again.
    expect((await b.submit(ask(twiceB!, 2000))).kind).toBe('fresh');
    expect(await balanceOfUser(t, twice.uid)).toBe(0);
    expect(await ledgerBalanced(t)).toBe(true);
  });

  it('one key twice in a batch pays once; a later retry replays the answer', async () => {
    const b = batcher();
    const who = await payerWith(t, term, 5000);
    const a = ask(await codeOf(t, who), 1200);
    const [first, second] = await Promise.all([b.submit(a), b.submit(a)]);
    expect(first).toMatchObject({ kind: 'fresh', status: 201 });
    expect(second).toEqual({ kind: 'in_progress' });
    expect(await b.submit(a)).toEqual({ kind: 'replayed', status: 201, body: (first as { body: unknown }).body });
    expect(await b.submit({ ...a, digest: requestDigest('POST', '/pos/v1/payments', { ...a.input, amount: 1 }) })).toEqual({ kind: 'key_reused' });
    expect(await paymentsOf(who.uid)).toEqual([1200]);
  });

  it('a payment that fails does not fail its neighbours, and leaves nothing behind', async () => {
    const b = batcher();
    const ok1 = await payerWith(t, term, 3000);
    const bad = await payerWith(t, term, 3000);
    const ok2 = await payerWith(t, term, 3000);
    broken = bad.uid;
    try {
      const badAsk = ask(await codeOf(t, bad), 1000);
      const results = await Promise.allSettled([ask(await codeOf(t, ok1), 1000), badAsk, ask(await codeOf(t, ok2), 1000)].map((a) => b.submit(a)));
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(b.stats.split).toBe(1);
      expect(await balanceOfUser(t, ok1.uid)).toBe(2000);
      expect(await balanceOfUser(t, ok2.uid)).toBe(2000);
      expect(await balanceOfUser(t, bad.uid)).toBe(3000);
      expect(await paymentsOf(bad.uid)).toEqual([]);
      // Its key was never recorded: the till's retry runs it afresh once the fault is gone.
      broken = undefined;
      expect(await b.submit(badAsk)).toMatchObject({ kind: 'fresh', status: 201 });
      expect(await balanceOfUser(t, bad.uid)).toBe(2000);
    } finally {
      broken = undefined;
    }
    expect(await ledgerBalanced(t)).toBe(true);
  });

  it('credits the merchant once per batch, not once per payment', async () => {
    const b = batcher();
    const payers = await Promise.all(Array.from({ length: 6 }, () => payerWith(t, term, 2000)));
    const before = await t.konpay.pool.query(`SELECT count(*)::int AS n FROM ledger_transfers WHERE kind = 'payment'`);
    const codes = await Promise.all(payers.map((p) => codeOf(t, p)));
    const out = await Promise.all(codes.map((c) => b.submit(ask(c, 300))));
    expect(out.map(statusOf)).toEqual(Array(6).fill(201));
    const after = await t.konpay.pool.query(`SELECT count(*)::int AS n FROM ledger_transfers WHERE kind = 'payment'`);
    expect(after.rows[0].n - before.rows[0].n).toBe(6);
    // Every payment of the batch credited the same shard: the hot row was written once.
    const shards = await t.konpay.pool.query(
      `SELECT DISTINCT credit_account_id FROM ledger_transfers t JOIN payments p ON p.transfer_id = t.id WHERE p.user_id = ANY($1::uuid[])`,
      [payers.map((p) => p.uid)],
    );
    expect(b.stats.batches).toBe(1);
    expect(shards.rowCount).toBe(1);
    expect(await ledgerBalanced(t)).toBe(true);
  });
});
