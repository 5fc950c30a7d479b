/**
 * Checking one WebAuthn assertion against a stored passkey: shared by passkey sign-in
 * and by passkeys as the second factor of a login or recovery flow, so the origin, RP
 * ID, user verification and signature-counter rules are written once.
 */
import { verifyAuthenticationResponse, type AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { Queryable } from '../../db/pool.js';
import { userHandleOf } from './challenges.js';
import type { FactorDeps } from './deps.js';
import { recordPasskeyUse, type PasskeyRow } from './repo.js';

export type AssertionOutcome = 'ok' | 'invalid' | 'cloned';

/**
 * Verifies `response` for `challenge` by `passkey` (which the caller has locked, so two
 * assertions of one credential are judged one after the other) and records its use.
 */
export async function acceptAssertion(
  d: Pick<FactorDeps, 'rp' | 'logger'>, q: Queryable, passkey: PasskeyRow, response: AuthenticationResponseJSON, challenge: string, now: Date,
): Promise<AssertionOutcome> {
  const handle = response.response.userHandle;
  if (handle && handle !== Buffer.from(userHandleOf(passkey.user_id)).toString('base64url')) return 'invalid';
  const v = await verifySignature(d, response, challenge, passkey);
  if (!v) return 'invalid';
  // WebAuthn §6.1.1: a counter that did not move forward means a second copy of the
  // key exists somewhere. Checked only after the signature proved the key was used.
  if ((passkey.counter > 0 || v.newCounter > 0) && v.newCounter <= passkey.counter) {
    d.logger.warn({ userId: passkey.user_id, passkeyId: passkey.id, stored: passkey.counter, presented: v.newCounter }, 'passkey counter went backwards: possible cloned authenticator');
    return 'cloned';
  }
  if (!(await recordPasskeyUse(q, passkey.id, v.newCounter, v.credentialBackedUp, now))) return 'cloned';
  return 'ok';
}

async function verifySignature(d: Pick<FactorDeps, 'rp'>, response: AuthenticationResponseJSON, challenge: string, passkey: PasskeyRow) {
  try {
    const v = await verifyAuthenticationResponse({
      response, expectedChallenge: challenge, expectedOrigin: d.rp.origin, expectedRPID: d.rp.id, requireUserVerification: true,
      // Counter 0 turns the library's own counter check off: ours runs after it with a
      // distinct outcome (a clone is not the same as a forged or mistaken response).
      credential: { id: passkey.id, publicKey: new Uint8Array(passkey.public_key), counter: 0, transports: passkey.transports },
    });
    return v.verified ? v.authenticationInfo : undefined;
  } catch {
    return undefined; // the library refuses by throwing: a wrong challenge, origin, RP ID, flag or signature
  }
}
