/**
 * Unlocking with a passkey. The options and the assertion check are the identity
 * module's own (`SecondFactors.passkeyOptions` / `verifyPasskey`: only this account's
 * passkeys, user verification required, signature and counter checked as at sign-in).
 * The challenge lives in a `device_unlock` flow that names the session it was made for,
 * 5 minutes, burnt at the first attempt (`takeChallenge`), so an assertion captured for
 * one session or one attempt unlocks nothing else.
 */
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { withTransaction } from '../db/tx.js';
import type { PasskeyAssertion } from '../identity/deps.js';
import { CHALLENGE_TTL_MS, takeChallenge } from '../identity/factors/challenges.js';
import { insertFlow } from '../identity/repo/flows.js';
import type { Authenticated } from '../identity/sessions.js';
import { newUuid } from '../shared/ids.js';
import type { CodesDeps } from './deps.js';
import { lockLiveDevice, recordUnlock } from './repo/unlock.js';
import { boundDevice, type Unlocked, type UnlockRefusal } from './unlock.js';

export type UnlockOptionsResult =
  | { kind: 'options'; flowId: string; options: PublicKeyCredentialRequestOptionsJSON; expiresAt: Date }
  | { kind: 'no_passkeys' } | UnlockRefusal;

export async function passkeyUnlockOptions(d: CodesDeps, auth: Authenticated): Promise<UnlockOptionsResult> {
  const device = boundDevice(auth);
  if (device.kind !== 'device') return device;
  const now = d.clock.now();
  return withTransaction(d.pool, async (q): Promise<UnlockOptionsResult> => {
    const made = await d.factors.passkeyOptions(q, auth.user.id);
    if (!made) return { kind: 'no_passkeys' };
    const flowId = newUuid();
    const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS);
    await insertFlow(q, { id: flowId, kind: 'device_unlock', userId: auth.user.id, data: { challenge: made.challenge, sessionId: auth.session.id }, now, expiresAt });
    return { kind: 'options', flowId, options: made.options, expiresAt };
  });
}

export type PasskeyUnlockResult = Unlocked | { kind: 'challenge_not_found' } | { kind: 'invalid' } | { kind: 'cloned' } | UnlockRefusal;

export async function unlockWithPasskey(d: CodesDeps, auth: Authenticated, flowId: string, response: PasskeyAssertion): Promise<PasskeyUnlockResult> {
  const device = boundDevice(auth);
  if (device.kind !== 'device') return device;
  const now = d.clock.now();
  return withTransaction(d.pool, async (q): Promise<PasskeyUnlockResult> => {
    if (!(await lockLiveDevice(q, auth.user.id, device.deviceId))) return { kind: 'device_required' };
    // Burnt before anything is checked: one attempt per challenge, whatever its outcome.
    const flow = await takeChallenge(q, flowId, 'device_unlock', now, auth.user.id);
    if (!flow || flow.data.sessionId !== auth.session.id) return { kind: 'challenge_not_found' };
    const verdict = await d.factors.verifyPasskey(q, auth.user.id, response, flow.challenge, now);
    if (verdict === 'wrong') return { kind: 'invalid' };
    if (verdict === 'cloned') return { kind: 'cloned' };
    await recordUnlock(q, { sessionId: auth.session.id, userId: auth.user.id, deviceId: device.deviceId, method: 'passkey', now });
    return { kind: 'unlocked', unlockedAt: now, unlockedUntil: new Date(now.getTime() + d.policy.unlockWindowMs) };
  });
}
