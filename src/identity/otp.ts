/**
 * One-time codes (ID-3): 6 digits from the CSPRNG, bound to one challenge of one flow,
 * valid 10 minutes, single use, dead after 5 wrong entries (a resend does not reset the
 * count), resends spaced and capped. Codes are kept only as HMACs under the server key,
 * bound to their challenge id, so a code for one flow is worthless in any other.
 *
 * Every function here runs inside the caller's transaction, on a locked flow.
 */
import type { Queryable } from '../db/pool.js';
import { hmac, randomDigits, safeEqual } from '../shared/crypto.js';
import type { SendDecision } from './deps.js';
import { newUuid } from '../shared/ids.js';
import {
  insertChallenge, lockChallenge, recordFailure, recordSend, recordVerified, type ChallengeRow,
} from './repo/flows.js';

export const OTP_DIGITS = 6;
export const OTP_TTL_MS = 10 * 60_000;
export const OTP_MAX_FAILURES = 5;
export const OTP_MAX_SENDS = 5;
export const OTP_RESEND_INTERVAL_MS = 30_000;

export type SendOutcome =
  | { kind: 'sent'; code: string; destination: string; channel: 'email' | 'sms' }
  | { kind: 'too_soon'; retryAfterMs: number }
  | { kind: 'too_many_sends' }
  | { kind: 'locked' };

/** A send refused by the hourly budgets of the destination or the client (ID-3). */
export type SendLimited = { kind: 'limited'; retryAfterMs: number };

/** What a "send me a code" endpoint can answer, for every flow. */
export type CodeSendResult =
  | { kind: 'sent' }
  | { kind: 'flow_not_found' }
  | { kind: 'too_soon'; retryAfterMs: number }
  | { kind: 'too_many_sends' }
  | { kind: 'locked' }
  | SendLimited;
export type SendGate = (to: { channel: 'email' | 'sms'; destination: string }) => Promise<SendDecision>;

export type VerifyOutcome =
  | { kind: 'verified' }
  | { kind: 'wrong'; remaining: number }
  | { kind: 'locked' }
  | { kind: 'expired' }
  | { kind: 'not_sent' };

export class OneTimeCodes {
  readonly #key: Buffer;
  constructor(signingKey: Buffer) {
    this.#key = signingKey;
  }

  #hash(challengeId: string, code: string): Buffer {
    return hmac(this.#key, 'otp', challengeId, code);
  }

  async create(q: Queryable, c: { flowId: string; purpose: string; channel: 'email' | 'sms'; destination: string; now: Date }): Promise<void> {
    await insertChallenge(q, { id: newUuid(), ...c, expiresAt: new Date(c.now.getTime() + OTP_TTL_MS) });
  }

  /** Makes and records a fresh code; the caller sends it through the outbox in the same transaction. */
  send(q: Queryable, flowId: string, purpose: string, now: Date): Promise<SendOutcome>;
  /**
   * With a gate (the hourly budgets of ID-3, throttle/send-guard.ts), asked only once the
   * code is otherwise due: a resend refused as too soon costs no budget.
   */
  send(q: Queryable, flowId: string, purpose: string, now: Date, gate: SendGate | undefined): Promise<SendOutcome | SendLimited>;
  async send(q: Queryable, flowId: string, purpose: string, now: Date, gate?: SendGate): Promise<SendOutcome | SendLimited> {
    const ch = await lockChallenge(q, flowId, purpose);
    if (!ch) throw new Error(`no challenge ${purpose} on flow`);
    if (ch.failures >= OTP_MAX_FAILURES || ch.verified_at) return { kind: 'locked' };
    if (ch.sends >= OTP_MAX_SENDS) return { kind: 'too_many_sends' };
    if (ch.last_sent_at) {
      const wait = ch.last_sent_at.getTime() + OTP_RESEND_INTERVAL_MS - now.getTime();
      if (wait > 0) return { kind: 'too_soon', retryAfterMs: wait };
    }
    const budget = await gate?.({ channel: ch.channel, destination: ch.destination });
    if (budget?.kind === 'wait') return { kind: 'limited', retryAfterMs: budget.retryAfterMs };
    const code = randomDigits(OTP_DIGITS);
    await recordSend(q, ch.id, this.#hash(ch.id, code), now, new Date(now.getTime() + OTP_TTL_MS));
    return { kind: 'sent', code, destination: ch.destination, channel: ch.channel };
  }

  async verify(q: Queryable, flowId: string, purpose: string, code: string, now: Date): Promise<VerifyOutcome> {
    const ch = await lockChallenge(q, flowId, purpose);
    if (!ch) throw new Error(`no challenge ${purpose} on flow`);
    return this.#check(q, ch, code, now);
  }

  async #check(q: Queryable, ch: ChallengeRow, code: string, now: Date): Promise<VerifyOutcome> {
    // Checked before the code itself: the 6th try fails even when it is right.
    if (ch.failures >= OTP_MAX_FAILURES || ch.verified_at) return { kind: 'locked' };
    if (!ch.code_hash) return { kind: 'not_sent' };
    if (ch.expires_at.getTime() <= now.getTime()) return { kind: 'expired' };
    const candidate = /^\d{6}$/.test(code) ? this.#hash(ch.id, code) : Buffer.alloc(32);
    if (safeEqual(candidate, ch.code_hash)) {
      await recordVerified(q, ch.id, now);
      return { kind: 'verified' };
    }
    const failures = await recordFailure(q, ch.id);
    return failures >= OTP_MAX_FAILURES ? { kind: 'locked' } : { kind: 'wrong', remaining: OTP_MAX_FAILURES - failures };
  }
}
