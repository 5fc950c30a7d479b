/**
 * Failed operator sign-ins slow down, on the same counter store as customers' logins
 * (src/identity/throttle/: PostgreSQL or Redis, the injected clock, one atomic step per
 * key) but with keys and a policy of their own:
 *
 * - Per operator address: 5 free failures, then 1 s doubling to 15 minutes. An operator
 *   account opens every customer's data, and its owner sits at a desk with a password
 *   manager: few honest typos, so the budget is half a customer's. Every wait ends,
 *   so an attacker can slow an operator but never lock them out for good.
 * - Per client address (IPv6 by /64): 20 free failures over all operator accounts, so a
 *   script trying many addresses from one place meets the same wall.
 * - No proof-of-work breaker: operators are few and known; the counters suffice, and a
 *   customer-side attack must never make the console harder to reach.
 *
 * As for customers, an attempt is counted before its password is checked, so parallel
 * guesses cannot all slip under the limit, and a refused attempt counts nowhere.
 */
import { backoffSchedule } from '../identity/throttle/policy.js';
import { ipGroup } from '../identity/throttle/ip.js';
import type { CounterStore } from '../identity/throttle/store.js';
import { hmac } from '../shared/crypto.js';

const MINUTE = 60_000;
const POLICY = {
  account: backoffSchedule({ free: 5, firstDelayMs: 1000, maxDelayMs: 15 * MINUTE, forgetAfterMs: 24 * 60 * MINUTE }),
  ip: backoffSchedule({ free: 20, firstDelayMs: 1000, maxDelayMs: 15 * MINUTE, forgetAfterMs: 24 * 60 * MINUTE }),
} as const;

export type OperatorGate = { kind: 'allow' } | { kind: 'wait'; retryAfterMs: number };

export class OperatorSignInThrottle {
  readonly #key: Buffer;
  constructor(private readonly store: CounterStore, signingKey: Buffer) {
    // Keyed hashes, as the customer counters: the store never lists who tried from where.
    this.#key = hmac(signingKey, 'konpay-operator-throttle-keys');
  }

  #k(kind: string, value: string): string {
    return `${kind}:${hmac(this.#key, kind, value).subarray(0, 16).toString('base64url')}`;
  }

  #keys(email: string, ip: string): { account: string; ip: string } {
    return { account: this.#k('oa', email), ip: this.#k('oi', ipGroup(ip)) };
  }

  async #wait(keys: readonly string[], now: Date): Promise<number> {
    const until = await this.store.blockedUntil(keys, now);
    return Math.max(0, ...until.map((d) => (d ? d.getTime() - now.getTime() : 0)));
  }

  /** Checks both counters and counts the attempt on the account's (as a failure until `succeeded` clears it). */
  async attempt(email: string, ip: string, now: Date): Promise<OperatorGate> {
    const k = this.#keys(email, ip);
    const gates = [k.account, k.ip];
    const wait = await this.#wait(gates, now);
    if (wait > 0) return { kind: 'wait', retryAfterMs: wait };
    const r = await this.store.fail(k.account, now, POLICY.account, 'refuse');
    if (r.kind === 'blocked') return { kind: 'wait', retryAfterMs: (await this.#wait(gates, now)) || 1000 };
    return { kind: 'allow' };
  }

  /** The address counts failures only: honest sign-ins from an office must not add up. */
  async failed(email: string, ip: string, now: Date): Promise<void> {
    await this.store.fail(this.#keys(email, ip).ip, now, POLICY.ip, 'count');
  }

  /** A full sign-in clears the account's count; the address keeps its count, as for customers. */
  async succeeded(email: string, ip: string): Promise<void> {
    await this.store.reset([this.#keys(email, ip).account]);
  }
}
