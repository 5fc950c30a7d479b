/**
 * The credential-stuffing guard (ID-5), consulted by login before the password check.
 *
 * Counters, each with growing delays (policy.ts): per IP (IPv6 by /64), per account,
 * per (account, IP), plus the service-wide failure rate that switches proof of work on.
 *
 * Invariants, and why:
 * - Account and (account, IP) attempts are counted *before* the password is checked,
 *   as failures until a success resets them, in one atomic check-and-count. Counting
 *   afterwards would let a burst of parallel guesses all pass the check together;
 *   this way "never more than N" holds across servers.
 * - A refused attempt counts nowhere, so an attacker hammering a blocked key cannot
 *   extend its block: every block ends at most `maxDelayMs` after the last attempt
 *   that was let through. No attacker can make a lock permanent.
 * - A device that holds a valid device credential for the account is judged only by
 *   its own (account, IP) counter, apart from strangers' counters: the account, IP and
 *   global counters, which an attacker can drive, never slow the owner's phone.
 * - An allowed attempt reports the failures its first counter held before it (the count
 *   after counting it, minus itself): the risk engine's `login_failures` signal. A known
 *   device reports its own (account, IP) counter, not the account-wide one, for the same
 *   reason as above: strangers' guesses from elsewhere never reset on the owner's logins
 *   (`succeeded`), so reporting them would send the owner's phone through a second factor
 *   at every sign-in for the counter's 30 days — an attacker's lever on the owner — while
 *   they say nothing about whoever holds the phone; the stranger's own attempts, from
 *   devices without the credential, always need a second factor anyway. What the phone's
 *   counter holds — wrong passwords typed with the credential from this address, by the
 *   owner or by whoever took the phone — is exactly what should make its holder prove
 *   the second factor.
 */
import type { GuardDecision, LoginAttempt, LoginGuard } from '../deps.js';
import type { FailureBreaker } from './breaker.js';
import type { CounterKeys } from './keys.js';
import type { LoginBackoffs } from './policy.js';
import type { ProofOfWork } from './pow.js';
import type { Backoff, CounterStore } from './store.js';

/** A retry hint for the rare race where a key was blocked between our read and our write. */
const RACE_RETRY_MS = 1000;

export class ThrottleGuard implements LoginGuard {
  constructor(private readonly o: {
    store: CounterStore;
    keys: CounterKeys;
    backoffs: LoginBackoffs;
    breaker: FailureBreaker;
    pow: ProofOfWork;
  }) {}

  /** The keys that must be open for the attempt, and those it is counted on (the first is the one reported). */
  #keys(a: LoginAttempt): { gates: string[]; counted: [string, Backoff][] } {
    const { keys, backoffs } = this.o;
    if (a.knownDevice) {
      const own = keys.loginKnownDevice(a.account, a.ip);
      return { gates: [own], counted: [[own, backoffs.accountIp]] };
    }
    const account = keys.loginAccount(a.account);
    const pair = keys.loginAccountIp(a.account, a.ip);
    return { gates: [keys.loginIp(a.ip), account, pair], counted: [[account, backoffs.account], [pair, backoffs.accountIp]] };
  }

  async #longestWait(keys: readonly string[], now: Date): Promise<number> {
    const until = await this.o.store.blockedUntil(keys, now);
    return Math.max(0, ...until.map((d) => (d ? d.getTime() - now.getTime() : 0)));
  }

  async check(a: LoginAttempt, now: Date): Promise<GuardDecision> {
    const { gates, counted } = this.#keys(a);
    // A read first: under attack most attempts are refused here, and a refusal writes nothing.
    const [wait, breakerOn] = await Promise.all([
      this.#longestWait(gates, now),
      a.knownDevice ? false : this.o.breaker.isOn(now),
    ]);
    if (wait > 0) return { kind: 'wait', retryAfterMs: wait };
    if (breakerOn && (await this.o.pow.redeem(a.proofOfWork, now)) !== 'verified') return { kind: 'proof_of_work_required' };
    let priorFailures: number | undefined;
    for (const [key, backoff] of counted) {
      const r = await this.o.store.fail(key, now, backoff, 'refuse');
      if (r.kind === 'blocked') return { kind: 'wait', retryAfterMs: (await this.#longestWait(gates, now)) || RACE_RETRY_MS };
      // `check` counts every attempt until a success resets the key: this one is in the
      // count. (So is an attempt racing it; that errs towards asking a second factor.)
      priorFailures ??= r.count - 1;
    }
    return { kind: 'allow', priorFailures: priorFailures ?? 0 };
  }

  async failed(a: LoginAttempt, now: Date): Promise<void> {
    // Account and (account, IP) were counted by `check`; the address and the service-wide
    // rate count failures only. The owner's own phone mistyping feeds neither.
    if (a.knownDevice) return;
    await Promise.all([
      this.o.breaker.record(a.ip, now),
      this.o.store.fail(this.o.keys.loginIp(a.ip), now, this.o.backoffs.ip, 'count'),
    ]);
  }

  /**
   * The right password resets the counters the attempt was counted on. The per-IP count
   * stays: ten right passwords in a thousand-line list must not wash the address clean.
   * An owner's login on a known phone does not reset the account counter either, so an
   * attacker gets no fresh budget each time the owner opens the app.
   */
  async succeeded(a: LoginAttempt, _now: Date): Promise<void> {
    await this.o.store.reset(this.#keys(a).counted.map(([key]) => key));
  }
}
