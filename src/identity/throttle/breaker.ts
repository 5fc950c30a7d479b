/**
 * The global failure-rate breaker (ID-5). Failed logins across the whole service are
 * counted per minute; the rate over the sliding last minute is estimated from the
 * current and previous minute (the previous one weighted by how much of it still lies
 * inside the last 60 s). Above the threshold, unknown devices must bring proof of work;
 * when the rate falls the breaker is off again by itself, with no state to reset.
 *
 * One counter row for the whole service would serialise every failure under attack,
 * so each minute is split into shards (by client address) and read back summed.
 */
import type { CounterKeys } from './keys.js';
import { UNLIMITED, type CounterStore } from './store.js';

const MINUTE_MS = 60_000;
const SHARDS = 8;

export class FailureBreaker {
  constructor(
    private readonly store: CounterStore,
    private readonly keys: CounterKeys,
    private readonly failuresPerMinute: number,
  ) {}

  /** Counts one failed login from `ip`. */
  async record(ip: string, now: Date): Promise<void> {
    const minute = Math.floor(now.getTime() / MINUTE_MS);
    const key = this.keys.globalFailures(minute, this.keys.globalShard(ip, SHARDS));
    // The window outlives its minute by one more, so it can be read as "the previous minute".
    await this.store.hit(key, now, { windowMs: 2 * MINUTE_MS, limit: UNLIMITED });
  }

  /** Failures in the sliding minute ending at `now` (an estimate). */
  async rate(now: Date): Promise<number> {
    const t = now.getTime();
    const minute = Math.floor(t / MINUTE_MS);
    const keys: string[] = [];
    for (const m of [minute, minute - 1]) for (let s = 0; s < SHARDS; s++) keys.push(this.keys.globalFailures(m, s));
    const counts = await this.store.counts(keys, now);
    const sum = (from: number) => counts.slice(from, from + SHARDS).reduce((a, b) => a + b, 0);
    const elapsed = (t - minute * MINUTE_MS) / MINUTE_MS;
    return sum(0) + sum(SHARDS) * (1 - elapsed);
  }

  async isOn(now: Date): Promise<boolean> {
    return (await this.rate(now)) >= this.failuresPerMinute;
  }
}
