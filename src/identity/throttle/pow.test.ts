import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../../test/harness/db.js';
import { solvePow, testThrottleSettings } from '../../../test/harness/throttle.js';
import { ManualClock } from '../../shared/clock.js';
import { CounterKeys } from './keys.js';
import { PgCounterStore } from './pg-store.js';
import { ProofOfWork } from './pow.js';

let db: TestDb;
let pow: ProofOfWork;
const clock = new ManualClock('2026-01-05T00:00:00Z');
const key = Buffer.alloc(32, 1);
beforeAll(async () => {
  db = await createTestDb();
  const store = new PgCounterStore(db.pool);
  pow = new ProofOfWork(key, testThrottleSettings().pow, store, new CounterKeys(key));
});
afterAll(() => db.drop());

const decode = (p: string) => JSON.parse(Buffer.from(p, 'base64').toString()) as { challenge: { parameters: { data: { exp: number }; cost: number } }; solution: { derivedKey: string } };
const encode = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64');

describe('proof of work (ALTCHA)', () => {
  it('accepts a solved challenge once, then refuses it as replayed', async () => {
    const payload = await solvePow(await pow.challenge(clock.now()));
    expect(await pow.redeem(payload, clock.now())).toBe('verified');
    expect(await pow.redeem(payload, clock.now())).toBe('replayed');
  });

  it('refuses solutions after the challenge expires, judged by the injected clock', async () => {
    const payload = await solvePow(await pow.challenge(clock.now()));
    clock.advance(300_000);
    expect(await pow.redeem(payload, clock.now())).toBe('expired');
  });

  it('refuses a missing, garbled, tampered or wrong answer', async () => {
    const payload = await solvePow(await pow.challenge(clock.now()));
    expect(await pow.redeem(undefined, clock.now())).toBe('missing');
    expect(await pow.redeem('bm90IGpzb24=', clock.now())).toBe('invalid');
    const longer = decode(payload);
    longer.challenge.parameters.data.exp += 3_600_000; // a client stretching its own expiry
    expect(await pow.redeem(encode(longer), clock.now())).toBe('invalid');
    const cheaper = decode(payload);
    cheaper.challenge.parameters.cost = 1_000_000;
    expect(await pow.redeem(encode(cheaper), clock.now())).toBe('invalid');
    const guessed = decode(payload);
    guessed.solution.derivedKey = '00'.repeat(32); // the derived key is the proof; its signature must match
    expect(await pow.redeem(encode(guessed), clock.now())).toBe('invalid');
    // The genuine answer still works: failed attempts did not use it up.
    expect(await pow.redeem(payload, clock.now())).toBe('verified');
  });

  it('refuses a challenge signed by another server key', async () => {
    const otherKey = Buffer.alloc(32, 2);
    const other = new ProofOfWork(otherKey, testThrottleSettings().pow, new PgCounterStore(db.pool), new CounterKeys(otherKey));
    const payload = await solvePow(await other.challenge(clock.now()));
    expect(await pow.redeem(payload, clock.now())).toBe('invalid');
  });
});
