/** What the unlock and payment-code use cases need, built once by the composition root. */
import type { IdentityDeps } from '../identity/deps.js';

export interface CodePolicy {
  /** A code is valid this long after it was made (PAY-1: at most 5 minutes). */
  readonly ttlMs: number;
  /** The app asks for a new code this often; the answer's `refreshAt`. */
  readonly refreshMs: number;
  /** A code can be made only this soon after the session was unlocked. */
  readonly unlockWindowMs: number;
}

export interface CodesDeps extends Pick<IdentityDeps, 'pool' | 'clock' | 'logger' | 'hasher' | 'events' | 'factors'> {
  /** Keys the stored digests of codes (the server signing key). */
  readonly signingKey: Buffer;
  readonly policy: CodePolicy;
}
