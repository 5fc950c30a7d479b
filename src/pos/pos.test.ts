/** The POS API's working paths: terminal sign-in, the client, bodies, nonce pruning. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import { echoProbe, newTerminal, problemCode, signedSend, type TestTerminal } from '../../test/harness/pos.js';
import { Batcher } from '../shared/batcher.js';
import { ManualClock } from '../shared/clock.js';
import { fromPublicId, newUuid } from '../shared/ids.js';
import { send } from './client.js';
import { recordNonces, type NonceUse } from './repo.js';

const clock = new ManualClock('2026-03-02T03:00:00Z');
let t: TestKonpay;
let term: TestTerminal;

beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false, clock, posRoutes: [echoProbe] });
  await t.konpay.listen();
  term = await newTerminal(t);
});
afterAll(() => t.stop());

describe('GET /pos/v1/terminal', () => {
  it('answers the signing terminal, its store and merchant', async () => {
    const r = await term.client.request('GET', '/pos/v1/terminal');
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json).toEqual({
      id: term.terminalId, keyId: term.keyId,
      store: { id: term.storeId, name: expect.stringMatching(/^Shibuya/) },
      merchant: { id: term.merchantId, name: expect.stringMatching(/^Konbini Mart/) },
    });
    expect(r.headers.get('x-request-id')).toMatch(/^req_/);
  });

  it('answers each terminal for itself', async () => {
    const other = await newTerminal(t);
    const r = await other.client.request('GET', '/pos/v1/terminal');
    expect((r.json as { id: string }).id).toBe(other.terminalId);
  });
});

describe('signed bodies', () => {
  it('reach the route parsed, with req.terminal set (database ids)', async () => {
    const r = await term.client.request('POST', '/pos/v1/test/echo', { amount: 1200 }, { idempotencyKey: 'idem-1' });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      body: { amount: 1200 },
      terminal: {
        id: fromPublicId('trm', term.terminalId), storeId: fromPublicId('sto', term.storeId),
        merchantId: fromPublicId('mer', term.merchantId), keyId: term.keyId, storeName: expect.stringMatching(/^Shibuya /),
      },
    });
  });

  it('are validated after the signature: a signed invalid body is a 400', async () => {
    const r = await term.client.request('POST', '/pos/v1/test/echo', { amount: 'lots' });
    expect(r.status).toBe(400);
    expect(problemCode(r)).toBe('validation_failed');
  });

  it('that are not JSON get 400 malformed_json, not a 500', async () => {
    const r = await signedSend(t, term, { method: 'POST', path: '/pos/v1/test/echo', body: '{"amount": 12' });
    expect(r.status).toBe(400);
    expect(problemCode(r)).toBe('malformed_json');
    const poisoned = await signedSend(t, term, { method: 'POST', path: '/pos/v1/test/echo', body: '{"amount":1,"__proto__":{"x":1}}' });
    expect(problemCode(poisoned)).toBe('malformed_json');
  });

  it('in another content type get 415', async () => {
    const p = await term.client.prepare('POST', '/pos/v1/test/echo', { amount: 1 });
    const r = await send({ ...p, headers: { ...p.headers, 'content-type': 'text/plain' } });
    expect(r.status).toBe(415);
  });
});

describe('nonces', () => {
  it('are pruned once their request could no longer pass the clock check (2 × skew)', async () => {
    const x = await newTerminal(t);
    const id = fromPublicId('trm', x.terminalId)!;
    const count = async () => (await t.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pos_nonces WHERE terminal_id = $1`, [id])).rows[0]!.n;
    for (let i = 0; i < 3; i++) expect((await x.client.request('GET', '/pos/v1/terminal')).status).toBe(200);
    expect(await count()).toBe(3);
    clock.advance(600_000); // exactly 2 × 300 s: still kept
    await x.client.request('GET', '/pos/v1/terminal');
    expect(await count()).toBe(4);
    clock.advance(1000);
    await x.client.request('GET', '/pos/v1/terminal');
    expect(await count()).toBe(2);
  });

  it('sent many times at once with one nonce: exactly one request is accepted', async () => {
    const x = await newTerminal(t);
    const prepared = await x.client.prepare('POST', '/pos/v1/test/echo', { amount: 300 });
    const all = await Promise.all(Array.from({ length: 40 }, () => send(prepared)));
    expect(all.filter((r) => r.status === 200)).toHaveLength(1);
    expect(all.filter((r) => problemCode(r) === 'pos_nonce_reused')).toHaveLength(39);
  });

  it('all different, sent at once from several terminals: every request is accepted', async () => {
    const terms = [await newTerminal(t), await newTerminal(t)];
    const prepared = await Promise.all(Array.from({ length: 40 }, (_, i) => terms[i % 2]!.client.prepare('POST', '/pos/v1/test/echo', { amount: i })));
    const all = await Promise.all(prepared.map((p) => send(p)));
    expect(all.map((r) => r.status)).toEqual(prepared.map(() => 200));
  });

  it('of concurrent requests are recorded together: one statement, a repeated nonce granted once', async () => {
    const [a, b] = [fromPublicId('trm', (await newTerminal(t)).terminalId)!, fromPublicId('trm', (await newTerminal(t)).terminalId)!];
    const use = (terminalId: string, nonce: string): NonceUse => ({
      terminalId, nonce: `batch-nonce-${nonce}-0123`, useId: newUuid(), seenAt: clock.now(), pruneBefore: new Date(clock.now().getTime() - 600_000),
    });
    const batcher = new Batcher((uses: NonceUse[]) => recordNonces(t.konpay.pool, uses), { lanes: 2, maxBatch: 256 });
    // Submitted in one turn of the event loop: one batch.
    const uses = [use(a, 'one'), use(b, 'one'), use(a, 'two'), use(a, 'one'), use(b, 'one'), use(b, 'two'), use(a, 'one')];
    expect(await Promise.all(uses.map((u) => batcher.submit(u)))).toEqual([true, true, true, false, false, true, false]);
    expect(batcher.stats).toMatchObject({ batches: 1, items: uses.length, split: 0 });
    // Against what is recorded already, and with a new one beside it.
    expect(await Promise.all([use(a, 'two'), use(a, 'three'), use(b, 'one')].map((u) => batcher.submit(u)))).toEqual([false, true, false]);
    expect(batcher.stats.batches).toBe(2);
  });

  it('whose recording committed but whose answer was lost: the retry of that request is granted, another request with the nonce is not', async () => {
    const id = fromPublicId('trm', (await newTerminal(t)).terminalId)!;
    const mine: NonceUse = { terminalId: id, nonce: 'lost-answer-nonce-0123', useId: newUuid(), seenAt: clock.now(), pruneBefore: new Date(clock.now().getTime() - 600_000) };
    expect(await recordNonces(t.konpay.pool, [mine])).toEqual([true]);
    // The connection reset after the commit: the batch runs again, item by item.
    expect(await recordNonces(t.konpay.pool, [mine])).toEqual([true]);
    expect(await recordNonces(t.konpay.pool, [{ ...mine, useId: newUuid() }])).toEqual([false]);
    expect(await recordNonces(t.konpay.pool, [mine])).toEqual([true]);
  });

  it('recorded in one batch prune every one of the batch\'s terminals', async () => {
    const ids = [fromPublicId('trm', (await newTerminal(t)).terminalId)!, fromPublicId('trm', (await newTerminal(t)).terminalId)!];
    const count = async () => (await t.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pos_nonces WHERE terminal_id = ANY ($1::uuid[])`, [ids])).rows[0]!.n;
    const at = (ms: number) => new Date(clock.now().getTime() + ms);
    const old = ids.flatMap((id) => ['old-nonce-a-0123', 'old-nonce-b-0123'].map((nonce) => ({ terminalId: id, nonce, useId: newUuid(), seenAt: at(0), pruneBefore: at(-600_000) })));
    expect(await recordNonces(t.konpay.pool, old)).toEqual([true, true, true, true]);
    const fresh = ids.map((id) => ({ terminalId: id, nonce: 'new-nonce-0123456', useId: newUuid(), seenAt: at(601_000), pruneBefore: at(1000) }));
    expect(await recordNonces(t.konpay.pool, fresh)).toEqual([true, true]);
    expect(await count()).toBe(2);
  });
});

describe('the problem catalogue', () => {
  it('documents every POS refusal', async () => {
    const r = await t.konpay.app.inject({ method: 'GET', url: '/problems/pos_nonce_reused' });
    expect(r.statusCode).toBe(200);
  });
});
