/**
 * PAY-5: two tills racing on one code settle exactly one payment, on real PostgreSQL,
 * under READ COMMITTED and (KONPAY_TEST_ISOLATION=serializable) SERIALIZABLE, where the
 * loser fails with 40001 and its retry sees the code used.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeRequest, consume, newPayer, unlockAndIssue, unlockRequest, PIN, type IssuedCodeBody } from '../../test/harness/codes.js';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import { withTransaction } from '../db/tx.js';
import { secretBytes } from '../secrets.js';
import { ManualClock } from '../shared/clock.js';
import { consumePaymentCode, type CodeOutcome } from './consume.js';

let t: TestKonpay;
const clock = new ManualClock('2026-01-05T09:00:00Z');
const serializable = process.env.KONPAY_TEST_ISOLATION === 'serializable';
beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false, clock });
});
afterAll(() => t.stop());

/** A till's payment transaction that holds its lock a while after taking the code, as a real payment would. */
function till(code: string, onRetry: () => void): Promise<CodeOutcome> {
  const d = { signingKey: secretBytes(t.config.secrets.signingKey) };
  return withTransaction(t.konpay.pool, async (q) => {
    const r = await consumePaymentCode(d, q, code, clock.now());
    await new Promise((resolve) => setTimeout(resolve, 150));
    return r;
  }, { onRetry });
}

describe('two tills, one code', () => {
  it('exactly one of two concurrent transactions gets ok; the other sees used', async () => {
    const who = await newPayer(t);
    const { code } = await unlockAndIssue(t, who);
    let retries = 0;
    const results = await Promise.all([till(code, () => retries++), till(code, () => retries++)]);
    expect(results.map((r) => r.kind).sort()).toEqual(['ok', 'used']);
    if (serializable) expect(retries).toBeGreaterThanOrEqual(1);
    const rows = await t.db.pool.query(`SELECT count(*)::int AS n FROM payment_codes WHERE user_id = $1 AND used_at IS NOT NULL`, [who.uid]);
    expect(rows.rows[0]).toEqual({ n: 1 });
  });

  it('of six concurrent tills, one pays', async () => {
    const who = await newPayer(t);
    const { code } = await unlockAndIssue(t, who);
    const results = await Promise.all(Array.from({ length: 6 }, () => till(code, () => {})));
    expect(results.filter((r) => r.kind === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'used')).toHaveLength(5);
  });

  it('a payment rolled back after taking the code leaves the code open', async () => {
    const who = await newPayer(t);
    const { code } = await unlockAndIssue(t, who);
    const d = { signingKey: secretBytes(t.config.secrets.signingKey) };
    // A payment that fails after taking the code rolls the use back with it.
    await expect(withTransaction(t.konpay.pool, async (q) => {
      expect(await consumePaymentCode(d, q, code, clock.now())).toMatchObject({ kind: 'ok' });
      throw new Error('card network down');
    })).rejects.toThrow('card network down');
    expect(await consume(t, code, clock.now())).toMatchObject({ kind: 'ok' });
  });
});

describe('two issues at once on one device', () => {
  it('leaves exactly one of the two codes open', async () => {
    const who = await newPayer(t);
    expect((await unlockRequest(t, who.token, { method: 'pin', pin: PIN })).statusCode).toBe(200);
    const answers = await Promise.all([codeRequest(t, who.token), codeRequest(t, who.token)]);
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201]);
    const outcomes = await Promise.all(answers.map((a) => consume(t, (a.json() as IssuedCodeBody).code, clock.now())));
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['ok', 'superseded']);
  });
});
