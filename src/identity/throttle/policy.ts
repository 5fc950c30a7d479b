/**
 * The thresholds of the login throttle and code-send budgets, and the back-off formula.
 * Values come from the configuration (src/config.ts, README); the defaults and why:
 *
 * - 5 free failures per (account, IP), 10 per account from anywhere. A customer who
 *   forgot which password they used gets a handful of quick tries from their own phone;
 *   the account-wide budget is larger so that a few stray guesses from elsewhere do not
 *   slow the owner at once, yet a botnet spreading guesses over many addresses still
 *   meets the back-off after 10.
 * - 30 free failures per IPv4 address or IPv6 /64. Japanese mobile carriers put many
 *   customers behind one IPv4 address (carrier-grade NAT), so the per-IP budget must
 *   absorb their honest typos; a stuffing run from one address (hundreds of pairs) still
 *   meets it within seconds.
 * - Then the next attempt waits 1 s, 2 s, 4 s, … doubling up to 15 minutes. Doubling
 *   costs an honest customer seconds but makes an attacker's N-th guess cost 2^N; the cap
 *   keeps every block temporary, so an attacker can slow an account but never lock it.
 * - After 100 consecutive failures an account (from unknown devices) waits the full cap
 *   before every attempt, whatever the other settings (SPEC ID-5): at most 96 more
 *   guesses a day, against passwords that are already screened against breach lists.
 * - "Consecutive" means until a success: account counters are kept 30 days after their
 *   last failure, so an attacker who rests a day does not come back to a fresh budget.
 *   Address counters are forgotten after 24 quiet hours: addresses change hands, and a
 *   carrier NAT address collects honest typos that must not add up for ever.
 * - The breaker demands proof of work from every unknown device when more than 300
 *   logins fail per minute across the service: about 3× the honest failure rate we
 *   expect at 7pay's launch scale (1.5 million sign-ups in 3 days), reached within a
 *   minute by any stuffing run worth the name. Set it from your own peak.
 * - Codes: 5 per destination and 30 per IP per hour. Sign-up needs 2, a retry or two
 *   more; beyond that a number receiving code after code is being bombed or "pumped"
 *   (premium numbers billed per SMS), and 30 from one address is a script.
 * - Endpoints that cost us something per call before any credential is checked have a
 *   budget per address (address-limit.ts). External ID sign-in starts: 60 per hour; each
 *   writes a flow row kept 10 minutes and may call the provider, and a customer needs one
 *   per sign-in (a few with retries), so 60 lets the customers behind one carrier NAT
 *   address through while a script from one address writes 60 rows an hour, not
 *   thousands a second. Proof-of-work challenges: 30 per minute; each costs a key
 *   derivation (pow.ts makes the challenge's key itself), one is needed per login
 *   attempt while the breaker is on, and the per-IP login budget (30 failures) runs out
 *   long before an honest address needs more.
 */
import type { Backoff } from './store.js';

export interface LoginThrottleSettings {
  readonly freeFailuresPerAccount: number;
  readonly freeFailuresPerAccountIp: number;
  readonly freeFailuresPerIp: number;
  /** The first delay; each further failure doubles it. */
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
  /** From this many consecutive failures on, every attempt waits `maxDelayMs`. */
  readonly maxConsecutiveFailures: number;
  /** Account and (account, IP) counters are forgotten after this long without a failure (or on success). */
  readonly forgetAccountAfterMs: number;
  /** Per-IP counters are forgotten after this long without a failure. */
  readonly forgetIpAfterMs: number;
  /** Failures per sliding minute, across the service, that switch the proof-of-work breaker on. */
  readonly breakerFailuresPerMinute: number;
}

export interface ProofOfWorkSettings {
  /** PBKDF2 iterations per try. */
  readonly cost: number;
  /** The secret counter is drawn from [maxNumber / 2, maxNumber]: the tries a client needs, at most. */
  readonly maxNumber: number;
  readonly ttlMs: number;
}

export interface SendSettings {
  readonly perDestinationPerHour: number;
  readonly perIpPerHour: number;
  /**
   * Every SMS of the service in an hour. Per-number and per-address budgets cannot stop
   * SMS pumping from thousands of addresses to thousands of premium numbers; this caps
   * what it can cost, and reaching it is logged as an error for operators.
   */
  readonly smsPerHour: number;
}

/** A fixed window per client address: at most `limit` calls in `windowMs` from its first. */
export interface WindowLimit {
  readonly limit: number;
  readonly windowMs: number;
}

export interface AddressLimitSettings {
  /** `GET /v1/oidc/{provider}/start` */
  readonly oidcStarts: WindowLimit;
  /** `GET /v1/login/challenge` */
  readonly challenges: WindowLimit;
}

export interface ThrottleSettings {
  readonly login: LoginThrottleSettings;
  readonly pow: ProofOfWorkSettings;
  readonly sends: SendSettings;
  readonly addresses: AddressLimitSettings;
}

/**
 * The delay after each failure: none for the first `free`, then `firstDelayMs` doubling
 * up to `maxDelayMs`, and `maxDelayMs` from failure `capFrom` on. The list ends at the
 * first capped entry, which the stores repeat for every later failure.
 */
export function backoffSchedule(o: { free: number; firstDelayMs: number; maxDelayMs: number; forgetAfterMs: number; capFrom?: number }): Backoff {
  const delaysMs: number[] = [];
  for (let n = 1; ; n++) {
    const d = n >= (o.capFrom ?? Infinity)
      ? o.maxDelayMs
      : n <= o.free ? 0 : Math.min(o.maxDelayMs, o.firstDelayMs * 2 ** (n - o.free - 1));
    delaysMs.push(d);
    if (d >= o.maxDelayMs) break;
  }
  // A key must outlive its block by far: forgotten the moment its block ended, the next
  // failure would count from one again, and the cap would never repeat after failure 100.
  return { delaysMs, forgetMs: Math.max(o.forgetAfterMs, 4 * o.maxDelayMs) };
}

export interface LoginBackoffs {
  readonly account: Backoff;
  readonly accountIp: Backoff;
  readonly ip: Backoff;
}

export function loginBackoffs(s: LoginThrottleSettings): LoginBackoffs {
  const base = { firstDelayMs: s.firstDelayMs, maxDelayMs: s.maxDelayMs };
  const kept = { ...base, forgetAfterMs: s.forgetAccountAfterMs, capFrom: s.maxConsecutiveFailures };
  return {
    account: backoffSchedule({ ...kept, free: s.freeFailuresPerAccount }),
    accountIp: backoffSchedule({ ...kept, free: s.freeFailuresPerAccountIp }),
    ip: backoffSchedule({ ...base, forgetAfterMs: s.forgetIpAfterMs, free: s.freeFailuresPerIp }),
  };
}
