/**
 * The start of an external ID sign-in or link (ID-12): state, nonce and PKCE verifier
 * kept server-side in a short-lived `auth_flows` row of kind `oidc`, and the row bound to
 * the browser that started it by a random secret in an HttpOnly cookie (only its hash is
 * stored). A callback is accepted only from that browser (no login CSRF: an attacker
 * cannot make a victim's browser finish the attacker's sign-in) and only once: the row is
 * burnt before the code is exchanged, so a replayed or concurrent callback finds nothing.
 */
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../../db/pool.js';
import { withTransaction } from '../../db/tx.js';
import { safeEqual, sha256 } from '../../shared/crypto.js';
import { newUuid } from '../../shared/ids.js';
import type { IdentityDeps } from '../deps.js';
import { completeFlow, insertFlow, isLive, lockFlow } from '../repo/flows.js';
import { OidcClients, type AuthorizationRequest } from './client.js';

export const OIDC_FLOW_MS = 10 * 60_000;

export interface OidcDeps extends IdentityDeps {
  oidc: OidcClients;
}

export type Purpose = 'login' | 'link';

/** What the flow row keeps until the callback burns it. */
export interface OidcFlow extends AuthorizationRequest {
  flowId: string;
  provider: string;
  purpose: Purpose;
  userId: string | null;
  /** The session that asked to link; the link is made only while it is still signed in. */
  sessionId: string | null;
}

export type StartResult =
  | { kind: 'started'; url: URL; binding: string; expiresAt: Date }
  | { kind: 'unavailable' };

export async function startOidc(
  d: OidcDeps, provider: string, purpose: Purpose, who: { userId: string; sessionId: string } | null,
): Promise<StartResult> {
  const now = d.clock.now();
  const request = OidcClients.newRequest();
  const url = await d.oidc.authorizationUrl(provider, request);
  if (url === 'unavailable') return { kind: 'unavailable' };
  const flowId = newUuid();
  const secret = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + OIDC_FLOW_MS);
  await insertFlow(d.pool, {
    id: flowId, kind: 'oidc', userId: who?.userId ?? null, now, expiresAt,
    data: { provider, purpose, ...request, sessionId: who?.sessionId ?? null, browser: sha256(secret).toString('hex') },
  });
  return { kind: 'started', url, binding: `${flowId}.${secret}`, expiresAt };
}

/**
 * Takes the flow named by the browser's binding cookie, if it is live, for this provider
 * and the secret matches; burns it in the same transaction. Undefined otherwise (another
 * browser, a replay, an expired or foreign flow): all the same refusal.
 */
export async function takeFlow(d: OidcDeps, provider: string, binding: string | undefined): Promise<OidcFlow | undefined> {
  const m = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/.exec(binding ?? '');
  if (!m) return undefined;
  const [, flowId, secret] = m as unknown as [string, string, string];
  const now = d.clock.now();
  return withTransaction(d.pool, async (q: Queryable) => {
    const flow = await lockFlow(q, flowId, 'oidc');
    if (!isLive(flow, now)) return undefined;
    const data = flow.data as Record<string, string | null>;
    if (data['provider'] !== provider) return undefined;
    if (!safeEqual(sha256(secret), Buffer.from(String(data['browser']), 'hex'))) return undefined;
    await completeFlow(q, flowId, now);
    return {
      flowId, provider, purpose: data['purpose'] === 'link' ? 'link' : 'login', userId: flow.user_id, sessionId: data['sessionId'] ?? null,
      state: String(data['state']), nonce: String(data['nonce']), codeVerifier: String(data['codeVerifier']),
    };
  });
}
