/**
 * WebAuthn challenges live in `auth_flows` (single use, 5 minutes). A challenge is the
 * flow's 16-byte id followed by 32 bytes from the CSPRNG: the random part makes it
 * unguessable, the id part lets the server find the flow from the signed clientDataJSON
 * alone, so registering a passkey needs no extra id from the client. The stored
 * challenge is still compared in full.
 */
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../../db/pool.js';
import { uuidFromHex } from '../../shared/ids.js';
import { completeFlow, insertFlow, lockFlow, type FlowKind, type FlowRow } from '../repo/flows.js';

export const CHALLENGE_TTL_MS = 5 * 60_000;
const RANDOM_BYTES = 32;

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

function uuidOf(bytes: Buffer): string {
  return uuidFromHex(bytes.toString('hex'));
}

/** The flow a challenge (base64url, as echoed in clientDataJSON) was made for, if it has our shape. */
export function flowIdOfChallenge(challenge: string): string | undefined {
  const bytes = Buffer.from(challenge, 'base64url');
  return bytes.length === 16 + RANDOM_BYTES ? uuidOf(bytes.subarray(0, 16)) : undefined;
}

/** Opens a challenge flow; returns the challenge in base64url, as the options carry it. */
export async function openChallenge(
  q: Queryable, c: { flowId: string; kind: FlowKind; userId: string | null; now: Date },
): Promise<{ challenge: string; expiresAt: Date }> {
  const challenge = Buffer.concat([uuidBytes(c.flowId), randomBytes(RANDOM_BYTES)]).toString('base64url');
  const expiresAt = new Date(c.now.getTime() + CHALLENGE_TTL_MS);
  await insertFlow(q, { id: c.flowId, kind: c.kind, userId: c.userId, data: { challenge }, now: c.now, expiresAt });
  return { challenge, expiresAt };
}

/**
 * Locks the flow and burns it whatever comes next: a challenge answers one attempt,
 * right or wrong, so a captured response can never be replayed and a failed one cannot
 * be retried against the same challenge. Undefined when the flow is unknown, over, or
 * (with `owner`) another account's, which is left untouched.
 */
export async function takeChallenge(
  q: Queryable, flowId: string, kind: FlowKind, now: Date, owner?: string,
): Promise<(FlowRow & { challenge: string }) | undefined> {
  const flow = await lockFlow(q, flowId, kind);
  if (!flow || flow.completed_at || flow.failed_at || flow.expires_at.getTime() <= now.getTime()) return undefined;
  if (owner !== undefined && flow.user_id !== owner) return undefined;
  const challenge = flow.data.challenge;
  await completeFlow(q, flowId, now);
  return typeof challenge === 'string' ? { ...flow, challenge } : undefined;
}

/** The challenge a response claims to answer, read from its (not yet verified) clientDataJSON. */
export function challengeOf(clientDataJSON: string): string | undefined {
  try {
    const data: unknown = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8'));
    const challenge = typeof data === 'object' && data !== null ? (data as { challenge?: unknown }).challenge : undefined;
    return typeof challenge === 'string' ? challenge : undefined;
  } catch {
    return undefined;
  }
}

/** A user id as the 16 bytes WebAuthn keeps as the user handle: opaque, no personal data. */
export function userHandleOf(userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(uuidBytes(userId));
}
