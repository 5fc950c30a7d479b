/**
 * Counters in Redis (REDIS_URL): for several servers under heavy attack traffic, off the
 * database. Each key is a hash `{c: count, b: blocked until, e: expires at}` in epoch
 * milliseconds of the application's clock; a Lua script reads and writes it in one
 * atomic step. Keys also get a Redis TTL so that forgotten ones disappear, but whether a
 * key is live is decided by `e` against the caller's `now`, never by Redis's own clock.
 *
 * Every script touches one key, so keys may live in different Redis Cluster slots.
 */
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { DependencyUnavailable } from '../../shared/errors.js';
import type { Backoff, CounterStore, FailOutcome, WindowHit } from './store.js';

const FAIL = `
local now, forget, refuse = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3] == '1'
local h = redis.call('HMGET', KEYS[1], 'c', 'b', 'e')
local count = 0
if tonumber(h[3]) and tonumber(h[3]) > now then
  count = tonumber(h[1]) or 0
  if refuse and (tonumber(h[2]) or 0) > now then return {0, 0, 0} end
end
count = count + 1
local n = #ARGV - 3
local blocked = now + tonumber(ARGV[3 + math.min(count, n)])
local exp = math.max(now + forget, blocked)
redis.call('HSET', KEYS[1], 'c', count, 'b', string.format('%d', blocked), 'e', string.format('%d', exp))
redis.call('PEXPIRE', KEYS[1], exp - now)
return {1, count, string.format('%d', blocked)}`;

const HIT = `
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local h = redis.call('HMGET', KEYS[1], 'c', 'e')
local e = tonumber(h[2])
if e and e > now then
  local c = tonumber(h[1]) or 0
  if c >= limit then return {0, c, string.format('%d', e)} end
  redis.call('HSET', KEYS[1], 'c', c + 1)
  return {1, c + 1, string.format('%d', e)}
end
e = now + window
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'c', 1, 'e', string.format('%d', e))
redis.call('PEXPIRE', KEYS[1], window)
return {1, 1, string.format('%d', e)}`;

/** A script run by its SHA-1, loaded on first use and again after a server restart (NOSCRIPT). */
class Script {
  readonly #sha: string;
  constructor(private readonly redis: Redis, private readonly lua: string) {
    this.#sha = createHash('sha1').update(lua).digest('hex');
  }
  async run(key: string, args: readonly (string | number)[]): Promise<[number, number, string]> {
    try {
      return (await this.redis.evalsha(this.#sha, 1, key, ...args)) as [number, number, string];
    } catch (err) {
      if (!String((err as Error).message).startsWith('NOSCRIPT')) throw err;
      return (await this.redis.eval(this.lua, 1, key, ...args)) as [number, number, string];
    }
  }
}

/** Seconds a client is asked to wait when Redis does not answer. */
const RETRY_AFTER_SECONDS = 5;

/**
 * Redis away: the guard cannot judge the attempt, so it is refused (503 with Retry-After)
 * rather than let through unchecked or answered with a 500. Fails closed on purpose: a
 * credential-stuffing run must not get a free pass by waiting for an outage.
 */
async function answered<T>(op: Promise<T>): Promise<T> {
  try {
    return await op;
  } catch (err) {
    throw new DependencyUnavailable('throttle counters (Redis)', RETRY_AFTER_SECONDS, { cause: err });
  }
}

export class RedisCounterStore implements CounterStore {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #fail: Script;
  readonly #hit: Script;

  /** `prefix` namespaces every key, so one Redis can serve several deployments (and tests). */
  constructor(url: string, opts: { prefix?: string } = {}) {
    // Fail fast rather than queue: a login should get an error, not hang, when Redis is away.
    this.#redis = new Redis(url, { maxRetriesPerRequest: 2, connectTimeout: 5_000, enableAutoPipelining: true });
    // The connection's own errors are answered per request (`answered`: a logged 503);
    // without a listener ioredis would also print each reconnect failure to stderr.
    this.#redis.on('error', () => {});
    this.#prefix = opts.prefix ?? 'konpay:throttle:';
    this.#fail = new Script(this.#redis, FAIL);
    this.#hit = new Script(this.#redis, HIT);
  }

  async fail(key: string, now: Date, backoff: Backoff, whenBlocked: 'refuse' | 'count'): Promise<FailOutcome> {
    const [counted, count, blocked] = await answered(this.#fail.run(this.#prefix + key, [
      now.getTime(), backoff.forgetMs, whenBlocked === 'refuse' ? 1 : 0, ...backoff.delaysMs,
    ]));
    return counted ? { kind: 'counted', count, blockedUntil: new Date(Number(blocked)) } : { kind: 'blocked' };
  }

  async blockedUntil(keys: readonly string[], now: Date): Promise<(Date | null)[]> {
    const t = now.getTime();
    const rows = await answered(Promise.all(keys.map((k) => this.#redis.hmget(this.#prefix + k, 'b', 'e'))));
    return rows.map(([b, e]) => (Number(e) > t && Number(b) > t ? new Date(Number(b)) : null));
  }

  async reset(keys: readonly string[]): Promise<void> {
    await answered(Promise.all(keys.map((k) => this.#redis.del(this.#prefix + k))));
  }

  async hit(key: string, now: Date, w: { windowMs: number; limit: number }): Promise<WindowHit> {
    const [allowed, count, resetAt] = await answered(this.#hit.run(this.#prefix + key, [now.getTime(), w.windowMs, w.limit]));
    return { allowed: allowed === 1, count, resetAt: new Date(Number(resetAt)) };
  }

  async counts(keys: readonly string[], now: Date): Promise<number[]> {
    const t = now.getTime();
    const rows = await answered(Promise.all(keys.map((k) => this.#redis.hmget(this.#prefix + k, 'c', 'e'))));
    return rows.map(([c, e]) => (Number(e) > t ? Number(c) : 0));
  }

  async close(): Promise<void> {
    await this.#redis.quit();
  }
}
