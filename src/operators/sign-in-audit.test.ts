/**
 * Operator sign-ins and sign-outs in the audit chain (OPS-2): each success is a row
 * appended in the transaction that issues or ends the session, so a session the chain
 * does not show cannot exist; failed sign-ins append nothing (./sign-in.ts says why).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../test/harness/factors.js';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import { consoleRequest, newOperator, signInOperator, signInRequest } from '../../test/harness/operators.js';
import { verifyChain } from '../ops/audit/verify.js';
import { ManualClock } from '../shared/clock.js';
import { fromPublicId } from '../shared/ids.js';

const clock = new ManualClock(new Date());
let t: TestKonpay;
beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false, clock });
});
afterAll(() => t.stop());

interface Row { who: string; action: string; ids: Record<string, string>; outcome: string }
const rowsAfter = async (seq: number) =>
  (await t.konpay.pool.query<Row & { seq: number }>('SELECT seq, who, action, ids, outcome FROM audit_log WHERE seq > $1 ORDER BY seq', [seq])).rows
    .map(({ who, action, ids, outcome }) => ({ who, action, ids, outcome }));
const headSeq = async () => (await t.konpay.pool.query<{ seq: number }>('SELECT seq FROM audit_head')).rows[0]!.seq;
const sessions = async (operatorId: string) =>
  Number((await t.konpay.pool.query<{ n: string }>('SELECT count(*) AS n FROM operator_sessions WHERE operator_id = $1', [fromPublicId('opr', operatorId)])).rows[0]!.n);

/**
 * Takes the chain's head row away for `run`, so every append fails as a broken audit
 * store would; puts it back as it was after.
 */
async function withAuditBroken<T>(run: () => Promise<T>): Promise<T> {
  const head = (await t.konpay.pool.query<{ seq: string; hash: string }>('DELETE FROM audit_head RETURNING seq, hash')).rows[0]!;
  try {
    return await run();
  } finally {
    await t.konpay.pool.query('INSERT INTO audit_head (id, seq, hash) VALUES (1, $1, $2)', [head.seq, head.hash]);
  }
}

describe('operator sign-in in the audit chain', () => {
  it('appends a row per sign-in and sign-out, none for failures, and the chain verifies', async () => {
    clock.advance(30_000);
    const op = await newOperator(t);
    const before = await headSeq();

    expect((await signInRequest(t, { email: op.email, password: `${op.password}x`, code: await totpCode(op.secret, clock.now()) })).statusCode).toBe(401);
    expect((await signInRequest(t, { email: `nobody-${op.email}`, password: op.password, code: '000000' })).statusCode).toBe(401);
    expect(await rowsAfter(before)).toEqual([]);

    const s = await signInOperator(t, op);
    expect((await consoleRequest(t, s, 'DELETE', '/ops/v1/session')).status).toBe(204);
    expect(await rowsAfter(before)).toEqual([
      { who: op.id, action: 'operator.sign_in', ids: { operatorId: op.id }, outcome: 'signed_in' },
      { who: op.id, action: 'operator.sign_out', ids: { operatorId: op.id }, outcome: 'signed_out' },
    ]);
    expect(await verifyChain(t.konpay.pool)).toMatchObject({ kind: 'intact' });
  });

  it('issues no session when its row cannot be appended, and ends none either', async () => {
    clock.advance(30_000);
    const op = await newOperator(t);
    const code = await totpCode(op.secret, clock.now());
    const refused = await withAuditBroken(() => signInRequest(t, { email: op.email, password: op.password, code }));
    expect(refused.statusCode).toBe(500);
    expect(refused.cookies).toEqual([]);
    expect(await sessions(op.id)).toBe(0);

    // Rolled back whole, the code's step too: the same code signs in once the chain is back.
    const s = await signInOperator(t, op);
    expect(await sessions(op.id)).toBe(1);
    const before = await headSeq();
    expect((await withAuditBroken(() => consoleRequest(t, s, 'DELETE', '/ops/v1/session'))).status).toBe(500);
    expect((await consoleRequest(t, s, 'GET', '/ops/v1/session')).status).toBe(200); // still signed in
    expect(await rowsAfter(before)).toEqual([]);
  });
});
