/**
 * The risk engine in the payment batch (RISK-1): a batch mixing risky and ordinary
 * payments declines only the risky one, reads every payer's signals in one query, and
 * logs each decision it stops (allowed payments are sampled; the sample is 1 here).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesTo } from '../../test/harness/customer.js';
import { codeOf, codesFor, declineOf, newOrder, pay, payerWith, posKey } from '../../test/harness/payments.js';
import { riskPolicyEnv, type TestKonpay } from '../../test/harness/konpay.js';
import { newTerminal, startTill, type TestTerminal } from '../../test/harness/pos.js';
import { requestDigest, Idempotency, type IdempotentResult } from '../idempotency/idempotency.js';
import { paymentBatcher, type PaymentRequest } from '../payments/batch.js';
import type { PaymentsDeps } from '../payments/deps.js';
import { secretBytes } from '../secrets.js';
import { ManualClock } from '../shared/clock.js';
import { fromPublicId } from '../shared/ids.js';
import { AccountIds } from '../wallet/ledger/accounts.js';
import { RiskEngine } from './engine.js';
import { enginePaymentRisk } from './payments.js';
import { DEFAULT_RISK_POLICY } from './policy.js';
import { openCase } from '../cases/open.js';

const clock = new ManualClock('2026-11-25T01:00:00Z');
let t: TestKonpay;
let term: TestTerminal;
beforeAll(async () => { ({ t, term } = await startTill(clock, { ...riskPolicyEnv(), RISK_PAYMENT_ALLOW_SAMPLE: '1' })); });
afterAll(() => t?.stop());

/** The engine, counting its batch reads (each is one statement: repo.ts accountSignals). */
class CountingEngine extends RiskEngine {
  reads: number[] = [];
  override assessPayments(...args: Parameters<RiskEngine['assessPayments']>) {
    this.reads.push(args[1].length);
    return super.assessPayments(...args);
  }
}

/** A payment batcher over the engine (one lane, so submissions made together form one batch), and a request maker. */
function batchTill(till: TestTerminal) {
  const risk = new CountingEngine({ ownPool: t.konpay.pool, policy: DEFAULT_RISK_POLICY, paymentAllowSample: 1, random: Math.random, openCase, logger: t.konpay.logger });
  const deps: PaymentsDeps = {
    pool: t.konpay.pool, clock, logger: t.konpay.logger, limits: t.config.limits, signingKey: secretBytes(t.config.secrets.signingKey),
    publicUrl: t.config.http.publicUrl, rules: t.config.payments, risk: enginePaymentRisk(risk, t.konpay.notifier), merchantEvents: undefined,
    notifier: t.konpay.notifier, accounts: new AccountIds(),
  };
  const batcher = paymentBatcher(deps, new Idempotency(t.konpay.pool, clock), { maxBatch: 64, lanes: 1 });
  const terminalOf = (x: TestTerminal) => ({
    id: fromPublicId('trm', x.terminalId)!, storeId: fromPublicId('sto', x.storeId)!, merchantId: fromPublicId('mer', x.merchantId)!, keyId: x.keyId, storeName: 'Shibuya',
  });
  const ask = (code: string, amount: number, categories: string[], at: TestTerminal = till): PaymentRequest => {
    const input = { code, amount, orderId: newOrder(), categories };
    return {
      terminal: terminalOf(at), key: posKey(), digest: requestDigest('POST', '/pos/v1/payments', input), input,
      answer: (out) => (out.kind === 'approved' ? { status: 201, body: { id: out.payment.id } } : { status: 402, body: { reason: out.reason } }),
    };
  };
  return { risk, batcher, ask };
}
const reasonOf = (r: IdempotentResult) => ('body' in r ? (r.body as { reason?: string }).reason ?? 'approved' : r.kind);

describe('risk in the payment batch', () => {
  it('declines only the risky payment of a mixed batch, with one signals query for the batch', async () => {
    const { risk, batcher, ask } = batchTill(term);
    const normal = await Promise.all([payerWith(t, term, 10_000), payerWith(t, term, 10_000), payerWith(t, term, 10_000)]);
    const thief = await payerWith(t, term, 40_000);
    // The thief's account was just recovered by someone: a big basket now waits for an analyst.
    await t.konpay.pool.query(`INSERT INTO security_events (id, user_id, kind, created_at) VALUES (gen_random_uuid(), $1, 'recovery_completed', $2)`, [thief.uid, clock.now()]);
    const asks = [
      ask(await codeOf(t, normal[0]!), 800, ['food']),
      ask(await codeOf(t, thief), 35_000, ['electronics']),
      ask(await codeOf(t, normal[1]!), 1200, ['food']),
      ask(await codeOf(t, normal[2]!), 3000, ['drinks']),
    ];
    const results = await Promise.all(asks.map((a) => batcher.submit(a)));
    expect(results.map(reasonOf)).toEqual(['approved', 'risk_review', 'approved', 'approved']);
    // One batch of four, one read of all four payers' signals.
    expect(risk.reads).toEqual([4]);

    // Every decision logged (sample 1): three allows, one hold, each with its signals.
    const logged = await t.konpay.pool.query<{ user_id: string; outcome: string; reasons: string[]; signals: { amount: number } }>(
      `SELECT user_id, outcome, reasons, signals FROM risk_decisions WHERE action = 'payment' ORDER BY outcome`,
    );
    expect(logged.rows.map((r) => r.outcome).sort()).toEqual(['allow', 'allow', 'allow', 'hold']);
    const hold = logged.rows.find((r) => r.outcome === 'hold')!;
    expect(hold).toMatchObject({ user_id: thief.uid, reasons: ['recent_recovery', 'high_risk_goods'], signals: { amount: 35_000 } });
    // A case for the analyst, the customer told, the code not given back to the till.
    const cases = await t.konpay.pool.query(`SELECT kind, subject_type FROM cases WHERE user_id = $1`, [thief.uid]);
    expect(cases.rows).toEqual([{ kind: 'risk_hold', subject_type: 'payment_decline' }]);
    expect((await messagesTo(t, thief.email)).length).toBeGreaterThan(0);
    const codes = await t.konpay.pool.query(`SELECT count(*)::int AS n FROM payment_codes WHERE user_id = $1 AND used_at IS NOT NULL`, [thief.uid]);
    expect(codes.rows[0].n).toBeGreaterThan(0);
  });

  it('holds a payment at a store too far from the last one for the time between (impossible travel)', async () => {
    const osaka = await newTerminal(t);
    const at = (storeId: string, lat: number, lon: number) => t.konpay.pool.query(`UPDATE stores SET latitude = $2, longitude = $3 WHERE id = $1`, [fromPublicId('sto', storeId), lat, lon]);
    await at(term.storeId, 35.6581, 139.6975); // Shibuya
    await at(osaka.storeId, 34.7025, 135.4959); // Umeda, ~400 km away
    const who = await payerWith(t, term, 10_000);
    expect(declineOf(await pay(term, await codeOf(t, who), 500))).toBeUndefined();
    clock.advance(30 * 60_000);
    const far = await pay(osaka, await codeOf(t, who), 500);
    expect(declineOf(far)).toBe('risk_review');
    const d = await t.konpay.pool.query(`SELECT outcome, reasons, signals->'previousPayment' AS prev FROM risk_decisions WHERE user_id = $1 AND outcome <> 'allow'`, [who.uid]);
    expect(d.rows).toEqual([{ outcome: 'hold', reasons: ['impossible_travel'], prev: { minutesAgo: 30, km: expect.any(Number) } }]);
    expect(d.rows[0].prev.km).toBeGreaterThan(390);
    // Three hours later the same trip is a train ride.
    clock.advance(3 * 3_600_000);
    expect(declineOf(await pay(osaka, await codeOf(t, who), 500))).toBeUndefined();
  });

  it('sees the same customer\'s earlier payment in the same batch (two stores 400 km apart at once)', async () => {
    const osaka = await newTerminal(t);
    const at = (storeId: string, lat: number, lon: number) => t.konpay.pool.query(`UPDATE stores SET latitude = $2, longitude = $3 WHERE id = $1`, [fromPublicId('sto', storeId), lat, lon]);
    await at(term.storeId, 35.6581, 139.6975); // Shibuya
    await at(osaka.storeId, 34.7025, 135.4959); // Umeda
    const { risk, batcher, ask } = batchTill(term);
    const who = await payerWith(t, term, 10_000);
    const [one, two] = await codesFor(t, who, 2);
    const [shibuya, umeda] = [ask(one!, 500, ['food']), ask(two!, 500, ['food'], osaka)];
    const results = await Promise.all([batcher.submit(shibuya), batcher.submit(umeda)]);
    expect(risk.reads).toEqual([2]);
    expect(results.map(reasonOf)).toEqual(['approved', 'risk_review']);
    const d = await t.konpay.pool.query(`SELECT reasons, signals->'previousPayment' AS prev FROM risk_decisions WHERE user_id = $1 AND outcome = 'hold'`, [who.uid]);
    expect(d.rows).toEqual([{ reasons: ['impossible_travel'], prev: { minutesAgo: 0, km: expect.any(Number) } }]);
  });
});
