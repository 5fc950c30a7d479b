/**
 * A passkey as the second factor of a login or recovery flow. Its WebAuthn challenge is
 * kept in the flow's own data, so it is bound to that flow (another flow's assertion
 * meets another challenge), lives 5 minutes (never past the flow), and is burnt at the
 * first attempt, right or wrong, so a captured assertion cannot be replayed.
 */
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { Queryable } from '../db/pool.js';
import type { IdentityDeps, PasskeyAssertion } from './deps.js';
import { updateFlowData, type FlowRow } from './repo/flows.js';

export const PASSKEY_CHALLENGE_MS = 5 * 60_000;

export type PasskeyStepOptions = { options: PublicKeyCredentialRequestOptionsJSON; expiresAt: Date };

/** Opens a new challenge on the (locked) flow, replacing an earlier one; undefined without passkeys. */
export async function offerPasskey(d: IdentityDeps, q: Queryable, flow: FlowRow, userId: string, now: Date): Promise<PasskeyStepOptions | undefined> {
  const made = await d.factors.passkeyOptions(q, userId);
  if (!made) return undefined;
  const expiresAt = new Date(Math.min(now.getTime() + PASSKEY_CHALLENGE_MS, flow.expires_at.getTime()));
  await updateFlowData(q, flow.id, { ...flow.data, passkey: { challenge: made.challenge, expiresAt: expiresAt.toISOString() } });
  return { options: made.options, expiresAt };
}

/**
 * Burns the flow's challenge, then checks the assertion against it. Answers the flow as
 * it now is (challenge gone), on which the caller counts a wrong answer. No live
 * challenge (never asked for, expired or already used) is a wrong answer too.
 */
export async function checkPasskey(
  d: IdentityDeps, q: Queryable, flow: FlowRow, userId: string, response: PasskeyAssertion, now: Date,
): Promise<{ verdict: 'ok' | 'wrong' | 'cloned'; flow: FlowRow }> {
  const { passkey: stored, ...rest } = flow.data;
  const burnt = { ...flow, data: rest };
  if (stored !== undefined) await updateFlowData(q, flow.id, rest);
  const challenge = liveChallenge(stored, now);
  if (!challenge) return { verdict: 'wrong', flow: burnt };
  return { verdict: await d.factors.verifyPasskey(q, userId, response, challenge, now), flow: burnt };
}

function liveChallenge(stored: unknown, now: Date): string | undefined {
  if (typeof stored !== 'object' || stored === null) return undefined;
  const { challenge, expiresAt } = stored as { challenge?: unknown; expiresAt?: unknown };
  if (typeof challenge !== 'string' || typeof expiresAt !== 'string') return undefined;
  return new Date(expiresAt).getTime() > now.getTime() ? challenge : undefined;
}
