/**
 * WAL-2: a retried money-moving request returns the first answer and moves nothing
 * more; the same key with another request is refused; concurrent duplicates run once.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../test/harness/db.js';
import { withTransaction } from '../db/tx.js';
import { ManualClock } from '../shared/clock.js';
import { newUuid } from '../shared/ids.js';
import { balanceOf, ensureAccount } from '../wallet/ledger/accounts.js';
import { createTransfer } from '../wallet/ledger/ledger.js';
import { findAccount, type AccountRow } from '../wallet/ledger/repo.js';
import { Idempotency, LOCK_MS, REPLAY_WINDOW_MS, canonicalJson, requestDigest, type Answer } from './idempotency.js';
import { claimKey, holdClaim } from './repo.js';

let db: TestDb;
const clock = new ManualClock('2026-11-25T03:00:00Z');
let idem: Idempotency;
let wallet: AccountRow;
let clearing: AccountRow;
let runs: number;

beforeAll(async () => {
  db = await createTestDb();
  idem = new Idempotency(db.pool, clock);
});
afterAll(() => db.drop());
beforeEach(async () => {
  runs = 0;
  const tag = newUuid();
  await withTransaction(db.pool, async (q) => {
    wallet = await ensureAccount(q, `wallet:${tag}`, 'wallet', null, clock.now());
    clearing = await ensureAccount(q, `card_clearing:${tag}`, 'card_clearing', null, clock.now());
  });
});

/** A top-up as a route would run it: one transfer, answered with the new balance. */
function topUp(amount: number) {
  return async (q: Parameters<Parameters<Idempotency['execute']>[3]>[0]): Promise<Answer> => {
    runs++;
    const out = await createTransfer(q, { phase: 'single', id: newUuid(), debitAccountId: clearing.id, creditAccountId: wallet.id, amount, kind: 'topup_cash' }, clock.now());
    return { status: 201, body: { outcome: out.kind, balance: balanceOf((await findAccount(q, wallet.id))!) } };
  };
}
const balance = async () => balanceOf((await findAccount(db.pool, wallet.id))!);
const digest = (amount: number) => requestDigest('POST', '/v1/topups', { amount });

describe('idempotency keys (WAL-2)', () => {
  it('replays the first answer for a retry and moves the money once', async () => {
    const key = newUuid();
    const first = await idem.execute('usr:a', key, digest(1000), topUp(1000));
    const again = await idem.execute('usr:a', key, digest(1000), topUp(1000));
    expect(first).toEqual({ kind: 'fresh', status: 201, body: { outcome: 'created', balance: 1000 } });
    expect(again).toEqual({ kind: 'replayed', status: 201, body: { outcome: 'created', balance: 1000 } });
    expect(runs).toBe(1);
    expect(await balance()).toBe(1000);
  });

  it('refuses the same key with a different request, and keeps keys apart per scope', async () => {
    const key = newUuid();
    await idem.execute('usr:a', key, digest(1000), topUp(1000));
    expect(await idem.execute('usr:a', key, digest(2000), topUp(2000))).toEqual({ kind: 'key_reused' });
    // Another customer choosing the same key is a different key.
    expect((await idem.execute('usr:b', key, digest(2000), topUp(2000))).kind).toBe('fresh');
    expect(await balance()).toBe(3000);
  });

  it('runs concurrent duplicates once: the others are told it is in progress or get the replay', async () => {
    const key = newUuid();
    const results = await Promise.all(Array.from({ length: 10 }, () => idem.execute('usr:a', key, digest(500), topUp(500))));
    expect(results.filter((r) => r.kind === 'fresh')).toHaveLength(1);
    expect(results.every((r) => ['fresh', 'replayed', 'in_progress'].includes(r.kind))).toBe(true);
    expect(runs).toBe(1);
    expect(await balance()).toBe(500);
  });

  it('frees the key when the request fails before committing, so the retry runs', async () => {
    const key = newUuid();
    await expect(idem.execute('usr:a', key, digest(700), async () => { throw new Error('database went away'); })).rejects.toThrow();
    expect((await idem.execute('usr:a', key, digest(700), topUp(700))).kind).toBe('fresh');
    expect(await balance()).toBe(700);
  });

  it('takes over a key whose holder died before committing, once its lock lapses', async () => {
    const key = newUuid();
    // A server claims the key and dies: its business transaction never committed.
    await withTransaction(db.pool, (q) => claimKey(q, { scope: 'usr:a', key, digest: digest(900), claimId: newUuid(), now: clock.now(), lockMs: LOCK_MS, windowMs: REPLAY_WINDOW_MS }));
    expect(await idem.execute('usr:a', key, digest(900), topUp(900))).toEqual({ kind: 'in_progress' });
    clock.advance(LOCK_MS + 1);
    expect((await idem.execute('usr:a', key, digest(900), topUp(900))).kind).toBe('fresh');
    expect(await balance()).toBe(900);
  });

  it('a request that outlives its lock and is taken over by a retry changes nothing', async () => {
    const key = newUuid();
    const stalled = newUuid();
    // The first request claims the key, then stalls before its transaction (a long pause).
    await withTransaction(db.pool, (q) => claimKey(q, { scope: 'usr:a', key, digest: digest(400), claimId: stalled, now: clock.now(), lockMs: LOCK_MS, windowMs: REPLAY_WINDOW_MS }));
    clock.advance(LOCK_MS + 1);
    expect((await idem.execute('usr:a', key, digest(400), topUp(400))).kind).toBe('fresh');
    // When it wakes, its claim is gone: its transaction may not proceed.
    expect(await withTransaction(db.pool, (q) => holdClaim(q, 'usr:a', key, stalled))).toBe(false);
    expect(runs).toBe(1);
    expect(await balance()).toBe(400);
  });

  it('a retry cannot take over a request whose transaction is running: it waits and replays', async () => {
    const key = newUuid();
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    let entered!: () => void;
    const inside = new Promise<void>((r) => { entered = r; });
    const slow = idem.execute('usr:a', key, digest(300), async (q) => { entered(); await gate; return topUp(300)(q); });
    await inside; // the first request holds the key's row in its business transaction
    clock.advance(LOCK_MS + 1);
    const retry = idem.execute('usr:a', key, digest(300), topUp(300));
    await new Promise((r) => setTimeout(r, 50));
    release();
    expect((await slow).kind).toBe('fresh');
    expect(await retry).toEqual({ kind: 'replayed', status: 201, body: { outcome: 'created', balance: 300 } });
    expect(runs).toBe(1);
    expect(await balance()).toBe(300);
  });

  it('forgets keys after 24 hours', async () => {
    const key = newUuid();
    await idem.execute('usr:a', key, digest(100), topUp(100));
    clock.advance(REPLAY_WINDOW_MS + 1);
    expect((await idem.execute('usr:a', key, digest(100), topUp(100))).kind).toBe('fresh');
    expect(await balance()).toBe(200);
  });

  it('treats reordered JSON as the same request', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
    expect(requestDigest('post', '/x', { a: 1, b: 2 }).equals(requestDigest('POST', '/x', { b: 2, a: 1 }))).toBe(true);
    expect(requestDigest('POST', '/x', { a: 1 }).equals(requestDigest('POST', '/y', { a: 1 }))).toBe(false);
  });
});
