/**
 * Builds the throttle for the composition root: the counter store (Redis when a URL is
 * configured, else PostgreSQL), the login guard, the code-send budgets, the proof-of-work
 * challenges and the per-address budgets, all over one store and one set of keys.
 */
import type pg from 'pg';
import { AddressLimit } from './address-limit.js';
import { FailureBreaker } from './breaker.js';
import { CounterKeys } from './keys.js';
import { ThrottleGuard } from './login-guard.js';
import { PgCounterStore } from './pg-store.js';
import { loginBackoffs, type ThrottleSettings } from './policy.js';
import { ProofOfWork } from './pow.js';
import { RedisCounterStore } from './redis-store.js';
import type { Logger } from '../../shared/logger.js';
import { CodeSendThrottle } from './send-guard.js';
import type { CounterStore } from './store.js';

export interface Throttle {
  readonly store: CounterStore;
  readonly guard: ThrottleGuard;
  readonly sends: CodeSendThrottle;
  readonly pow: ProofOfWork;
  readonly breaker: FailureBreaker;
  /** Per-address budgets of `GET /v1/oidc/{provider}/start` and `GET /v1/login/challenge`. */
  readonly oidcStarts: AddressLimit;
  readonly challenges: AddressLimit;
}

export function buildThrottle(o: {
  settings: ThrottleSettings;
  signingKey: Buffer;
  pool: pg.Pool;
  redisUrl: string | undefined;
  /** Key prefix in Redis (tests give each run its own). */
  redisPrefix?: string;
  logger: Logger;
}): Throttle {
  const store: CounterStore = o.redisUrl
    ? new RedisCounterStore(o.redisUrl, o.redisPrefix === undefined ? {} : { prefix: o.redisPrefix })
    : new PgCounterStore(o.pool);
  const keys = new CounterKeys(o.signingKey);
  const breaker = new FailureBreaker(store, keys, o.settings.login.breakerFailuresPerMinute);
  const pow = new ProofOfWork(o.signingKey, o.settings.pow, store, keys);
  const guard = new ThrottleGuard({ store, keys, backoffs: loginBackoffs(o.settings.login), breaker, pow });
  const { oidcStarts, challenges } = o.settings.addresses;
  return {
    store, guard, sends: new CodeSendThrottle(store, keys, o.settings.sends, o.logger), pow, breaker,
    oidcStarts: new AddressLimit(store, (ip) => keys.oidcStartIp(ip), oidcStarts),
    challenges: new AddressLimit(store, (ip) => keys.challengeIp(ip), challenges),
  };
}
