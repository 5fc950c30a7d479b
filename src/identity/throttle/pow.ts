/**
 * Proof of work for logins while the breaker is on: ALTCHA v2 challenges (`altcha-lib`),
 * PBKDF2/SHA-256, in its deterministic mode: the server picks the secret counter, so a
 * client needs at most `maxNumber` tries (about half that on average, a second or two on
 * a phone at the default cost) and checking a solution is one HMAC, not a derivation.
 *
 * - Keys are derived from the server's signing key, so every server of a deployment
 *   verifies every other's challenges and nothing new needs provisioning.
 * - Expiry is our own signed `data.exp`, judged by the injected clock; the library's
 *   `expiresAt` would be judged by the machine's clock instead.
 * - Each solution is single use: after it verifies, its challenge is marked used in the
 *   counter store until it expires. Marking happens only after verification, so forged
 *   payloads cannot fill the store.
 */
import { randomInt } from 'node:crypto';
import { createChallenge, verifySolution, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { z } from 'zod';
import { hmac } from '../../shared/crypto.js';
import type { CounterKeys } from './keys.js';
import type { ProofOfWorkSettings } from './policy.js';
import type { CounterStore } from './store.js';

const ALGORITHM = 'PBKDF2/SHA-256';

/** The widget's payload: base64 of `{ challenge, solution }`. Only the shape is trusted here; the HMAC decides the rest. */
const payloadSchema = z.object({
  challenge: z.object({
    parameters: z.object({
      algorithm: z.literal(ALGORITHM),
      nonce: z.string().regex(/^[0-9a-f]{1,128}$/),
      salt: z.string(),
      cost: z.number(),
      keyLength: z.number(),
      keyPrefix: z.string(),
      keySignature: z.string().optional(),
      data: z.object({ exp: z.number() }).loose(),
    }).loose(),
    signature: z.string(),
  }),
  solution: z.object({ counter: z.number(), derivedKey: z.string(), time: z.number().optional() }),
});

export type PowVerdict = 'verified' | 'missing' | 'invalid' | 'expired' | 'replayed';

export class ProofOfWork {
  readonly #signatureSecret: string;
  readonly #keySecret: string;

  constructor(
    signingKey: Buffer,
    private readonly settings: ProofOfWorkSettings,
    private readonly store: CounterStore,
    private readonly keys: CounterKeys,
  ) {
    this.#signatureSecret = hmac(signingKey, 'altcha', 'challenge').toString('hex');
    this.#keySecret = hmac(signingKey, 'altcha', 'derived-key').toString('hex');
  }

  async challenge(now: Date): Promise<Challenge> {
    const max = this.settings.maxNumber;
    return createChallenge({
      algorithm: ALGORITHM,
      cost: this.settings.cost,
      counter: randomInt(Math.ceil(max / 2), max + 1),
      deriveKey,
      hmacSignatureSecret: this.#signatureSecret,
      hmacKeySignatureSecret: this.#keySecret,
      data: { exp: now.getTime() + this.settings.ttlMs },
    });
  }

  /** Checks a solution and, when it is good, uses it up. */
  async redeem(payload: string | undefined, now: Date): Promise<PowVerdict> {
    if (!payload) return 'missing';
    const parsed = payloadSchema.safeParse(decode(payload));
    if (!parsed.success) return 'invalid';
    const { challenge, solution } = parsed.data;
    const exp = challenge.parameters.data.exp;
    if (exp <= now.getTime()) return 'expired';
    const r = await verifySolution({
      challenge: challenge as Challenge,
      solution,
      deriveKey,
      hmacSignatureSecret: this.#signatureSecret,
      hmacKeySignatureSecret: this.#keySecret,
    });
    if (!r.verified) return 'invalid';
    // Atomic first-use: of two requests racing with one solution, only one is allowed.
    const first = await this.store.hit(this.keys.usedChallenge(challenge.parameters.nonce), now, { windowMs: exp - now.getTime(), limit: 1 });
    return first.allowed ? 'verified' : 'replayed';
  }
}

function decode(payload: string): unknown {
  try {
    return JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
}
