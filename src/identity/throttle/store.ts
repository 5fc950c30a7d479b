/**
 * The counter store port: the few atomic operations the login guard, the global
 * breaker, proof-of-work replay protection and the code-send budgets need. Two adapters:
 * PostgreSQL (the default, `pg-store.ts`) and Redis (`redis-store.ts`, when REDIS_URL is set).
 *
 * Time is always the caller's `now` (the injected clock), never the store's own: tests
 * move a manual clock, and servers behind one store need not agree with its clock.
 * A key's expiry is judged against `now`; the store's native expiry (Redis TTLs, the
 * PostgreSQL sweep) only collects garbage.
 *
 * Every operation is a single atomic step per key (one SQL statement, one Lua script), so
 * concurrent requests on several servers cannot both slip under a limit.
 *
 * Not `rate-limiter-flexible` (DESIGN.md's suggestion): it reads `Date.now()` inside,
 * so tests could not move its time, and it has no check-and-count of a growing delay.
 */

/**
 * A growing delay. `delaysMs[n - 1]` is how long a key stays blocked after its n-th
 * counted failure; past the end of the list the last entry (the cap) applies. Made by
 * `backoffSchedule` (policy.ts) so the formula lives in one place and the adapters only
 * look it up.
 */
export interface Backoff {
  readonly delaysMs: readonly number[];
  /** A key with no failure for this long is forgotten: its count starts again at zero. */
  readonly forgetMs: number;
}

export type FailOutcome =
  /** Counted: this is failure number `count`; the key is now blocked until `blockedUntil` (maybe `now`, i.e. not at all). */
  | { kind: 'counted'; count: number; blockedUntil: Date }
  /** Not counted: the key was blocked at `now` (only with `whenBlocked: 'refuse'`). */
  | { kind: 'blocked' };

export interface WindowHit {
  /** False when the window already held `limit` hits; then nothing was added. */
  readonly allowed: boolean;
  readonly count: number;
  /** When the window ends and the count starts again. */
  readonly resetAt: Date;
}

export interface CounterStore {
  /**
   * Counts one failure on a back-off key and blocks it for the delay of its new count.
   * `refuse`: only when the key is not blocked at `now` (the check-and-count of one
   * attempt, atomic). `count`: always (a failure that already happened).
   */
  fail(key: string, now: Date, backoff: Backoff, whenBlocked: 'refuse' | 'count'): Promise<FailOutcome>;
  /** For each key, when its block ends, or null when it is not blocked at `now`. */
  blockedUntil(keys: readonly string[], now: Date): Promise<(Date | null)[]>;
  /** Forgets keys (a success resets its counters). */
  reset(keys: readonly string[]): Promise<void>;
  /**
   * Adds one hit to a fixed window that starts at the key's first hit and lasts
   * `windowMs`, unless the window already holds `limit` hits. With `limit: 1` this
   * is a single-use marker: only the first caller is allowed until the window ends.
   */
  hit(key: string, now: Date, window: { windowMs: number; limit: number }): Promise<WindowHit>;
  /** The hits in each key's current window (0 for none or ended). */
  counts(keys: readonly string[], now: Date): Promise<number[]>;
  /** Releases connections the store opened itself. */
  close(): Promise<void>;
}

/** A limit meaning "no limit" that still fits the stores' 32-bit counts. */
export const UNLIMITED = 2_000_000_000;
