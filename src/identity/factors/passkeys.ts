/**
 * Passkeys (ID-11): registering, listing and removing them. Verification is the real
 * @simplewebauthn/server check of challenge, origin, RP ID, user presence and
 * verification; anything it refuses is an `invalid` outcome, never an exception.
 */
import {
  generateRegistrationOptions, verifyRegistrationResponse,
  type PublicKeyCredentialCreationOptionsJSON, type RegistrationResponseJSON, type VerifiedRegistrationResponse,
} from '@simplewebauthn/server';
import { withTransaction } from '../../db/tx.js';
import { newUuid } from '../../shared/ids.js';
import { findUser } from '../repo/users.js';
import { CHALLENGE_TTL_MS, challengeOf, flowIdOfChallenge, openChallenge, takeChallenge, userHandleOf } from './challenges.js';
import type { Actor, FactorDeps } from './deps.js';
import { recordFactorChange } from './notice.js';
import { deletePasskey, insertPasskey, listPasskeys, type PasskeyRow } from './repo.js';

export interface PasskeyOptions<T> {
  flowId: string;
  options: T;
  expiresAt: Date;
}

/** Options for navigator.credentials.create(): a discoverable, user-verified credential. */
export async function passkeyRegistrationOptions(d: FactorDeps, actor: Actor): Promise<PasskeyOptions<PublicKeyCredentialCreationOptionsJSON>> {
  const now = d.clock.now();
  return withTransaction(d.pool, async (q) => {
    const existing = await listPasskeys(q, actor.user.id);
    const flowId = newUuid();
    const { challenge, expiresAt } = await openChallenge(q, { flowId, kind: 'passkey_register', userId: actor.user.id, now });
    const options = await generateRegistrationOptions({
      rpName: d.rp.name, rpID: d.rp.id,
      userName: actor.user.email, userDisplayName: actor.user.email,
      userID: userHandleOf(actor.user.id),
      challenge: new Uint8Array(Buffer.from(challenge, 'base64url')),
      timeout: CHALLENGE_TTL_MS,
      attestationType: 'none',
      // The same authenticator twice would only be a confusing duplicate.
      excludeCredentials: existing.map((p) => ({ id: p.id, transports: p.transports })),
      // Resident (discoverable) so usernameless sign-in works; verified so the passkey
      // stands for both factors (possession and PIN/biometric).
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    });
    return { flowId, options, expiresAt };
  });
}

export type RegisterPasskeyResult =
  | { kind: 'registered'; passkey: PasskeyRow }
  | { kind: 'invalid' }
  | { kind: 'flow_not_found' }
  | { kind: 'already_registered' };

export async function registerPasskey(d: FactorDeps, actor: Actor, response: RegistrationResponseJSON, label: string): Promise<RegisterPasskeyResult> {
  const now = d.clock.now();
  const claimed = challengeOf(response.response.clientDataJSON);
  const flowId = claimed && flowIdOfChallenge(claimed);
  if (!flowId) return { kind: 'invalid' };
  return withTransaction(d.pool, async (q): Promise<RegisterPasskeyResult> => {
    await findUser(q, actor.user.id, { lock: true });
    const flow = await takeChallenge(q, flowId, 'passkey_register', now, actor.user.id);
    if (!flow) return { kind: 'flow_not_found' };
    const v = await verifyRegistration(d, response, flow.challenge);
    if (!v) return { kind: 'invalid' };
    const { credential, credentialDeviceType, credentialBackedUp } = v.registrationInfo;
    const passkey = await insertPasskey(q, {
      id: credential.id, userId: actor.user.id, publicKey: credential.publicKey, counter: credential.counter,
      transports: credential.transports ?? [], deviceType: credentialDeviceType, backedUp: credentialBackedUp, label, now,
    });
    if (!passkey) return { kind: 'already_registered' };
    await recordFactorChange(d, q, actor, 'factor_added', 'passkey', now, label);
    return { kind: 'registered', passkey };
  });
}

async function verifyRegistration(d: FactorDeps, response: RegistrationResponseJSON, challenge: string) {
  let v: VerifiedRegistrationResponse;
  try {
    v = await verifyRegistrationResponse({
      response, expectedChallenge: challenge, expectedOrigin: d.rp.origin, expectedRPID: d.rp.id, requireUserVerification: true,
    });
  } catch {
    return undefined; // the library refuses by throwing: a wrong challenge, origin, RP ID, flag or format
  }
  return v.verified ? v : undefined;
}

export type RemovePasskeyResult = { kind: 'removed' } | { kind: 'not_found' };

export async function removePasskey(d: FactorDeps, actor: Actor, passkeyId: string): Promise<RemovePasskeyResult> {
  const now = d.clock.now();
  return withTransaction(d.pool, async (q): Promise<RemovePasskeyResult> => {
    await findUser(q, actor.user.id, { lock: true });
    const removed = await deletePasskey(q, actor.user.id, passkeyId);
    if (!removed) return { kind: 'not_found' };
    await recordFactorChange(d, q, actor, 'factor_removed', 'passkey', now, removed.label);
    return { kind: 'removed' };
  });
}
