/**
 * Counters in PostgreSQL: the default, so a single server needs nothing besides its
 * database. Each operation is one autocommit statement (one round trip), retried on
 * 40001/40P01 like any transaction: under SERIALIZABLE, and on the distributed engines,
 * two upserts of one hot key conflict and the loser must run again.
 */
import type pg from 'pg';
import { isRetryable, retryDelayMs } from '../../db/tx.js';
import { addHit, countFailure, deleteCounters, findBlocks, findCounts, sweepExpired } from './repo.js';
import type { Backoff, CounterStore, FailOutcome, WindowHit } from './store.js';

const MAX_ATTEMPTS = 10;
/** Expired rows are deleted a batch at a time, once per this many writes: no timer to own, and cost follows load. */
const SWEEP_EVERY_WRITES = 500;
const SWEEP_BATCH = 1000;

async function retrying<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isRetryable(err) || attempt >= MAX_ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, retryDelayMs(attempt)));
    }
  }
}

export class PgCounterStore implements CounterStore {
  #writes = 0;
  constructor(private readonly pool: pg.Pool) {}

  async #wrote(now: Date): Promise<void> {
    if (++this.#writes % SWEEP_EVERY_WRITES === 0) await this.sweep(now);
  }

  /** Deletes a batch of rows forgotten before `now` (Redis expires its keys itself); answers how many. */
  sweep(now: Date, batch = SWEEP_BATCH): Promise<number> {
    return retrying(() => sweepExpired(this.pool, now, batch));
  }

  async fail(key: string, now: Date, backoff: Backoff, whenBlocked: 'refuse' | 'count'): Promise<FailOutcome> {
    const row = await retrying(() => countFailure(this.pool, key, now, backoff.delaysMs, backoff.forgetMs, whenBlocked === 'refuse'));
    await this.#wrote(now);
    return row ? { kind: 'counted', count: row.count, blockedUntil: row.blocked_until } : { kind: 'blocked' };
  }

  async blockedUntil(keys: readonly string[], now: Date): Promise<(Date | null)[]> {
    if (keys.length === 0) return [];
    const rows = await retrying(() => findBlocks(this.pool, keys, now));
    const by = new Map(rows.map((r) => [r.key, r.blocked_until]));
    return keys.map((k) => by.get(k) ?? null);
  }

  async reset(keys: readonly string[]): Promise<void> {
    if (keys.length > 0) await retrying(() => deleteCounters(this.pool, keys));
  }

  async hit(key: string, now: Date, w: { windowMs: number; limit: number }): Promise<WindowHit> {
    // A full window answers no row; reading it after is a second statement, so a window
    // that ended (or was swept) in between is simply tried again.
    for (let i = 0; ; i++) {
      const row = await retrying(() => addHit(this.pool, key, now, w.windowMs, w.limit));
      if (row) {
        await this.#wrote(now);
        return { allowed: true, count: row.count, resetAt: row.expires_at };
      }
      const [full] = await retrying(() => findCounts(this.pool, [key], now));
      if (full || i >= 2) return { allowed: false, count: full?.count ?? w.limit, resetAt: full?.expires_at ?? new Date(now.getTime() + w.windowMs) };
    }
  }

  async counts(keys: readonly string[], now: Date): Promise<number[]> {
    if (keys.length === 0) return [];
    const rows = await retrying(() => findCounts(this.pool, keys, now));
    const by = new Map(rows.map((r) => [r.key, r.count]));
    return keys.map((k) => by.get(k) ?? 0);
  }

  /** The pool belongs to the server. */
  async close(): Promise<void> {}
}
