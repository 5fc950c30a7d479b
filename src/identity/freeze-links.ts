/**
 * "This wasn't me" links (ID-8). A link carries `kpf_<flow>.<secret>`. The flow row (kind
 * `freeze`) names the account and the security event and dies after 7 days; only a keyed
 * hash of the secret is stored, so neither a guesser nor a reader of the database can
 * make a working link. Acting on a link completes its flow: it works once.
 *
 * Opaque rather than a JWT: a single-use token must be stored anyway, and a short one
 * fits in the SMS that tells the old number about a change.
 */
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/pool.js';
import { hmac, safeEqual } from '../shared/crypto.js';
import { fromPublicId, newUuid } from '../shared/ids.js';
import type { SecurityEventKind } from './messages.js';
import { completeFlow, insertFlows, lockFlow } from './repo/flows.js';

export const FREEZE_LINK_MS = 7 * 86_400_000;
const TOKEN = /^kpf_([0-9a-f]{32})\.([A-Za-z0-9_-]{43})$/;

export interface IssuedFreezeLink {
  url: string;
  /** The id to record the event under (`events.record(…, { eventId })`), so link and event name each other. */
  eventId: string;
}

export type OpenedFreezeLink =
  | { kind: 'valid'; flowId: string; userId: string; event: SecurityEventKind; eventId: string; issuedAt: Date }
  | { kind: 'invalid' };

export class FreezeLinks {
  readonly #key: Buffer;
  readonly #publicUrl: string;
  constructor(signingKey: Buffer, publicUrl: string) {
    this.#key = signingKey;
    this.#publicUrl = publicUrl;
  }

  #mac(flowId: string, secret: string): Buffer {
    return hmac(this.#key, 'freeze-link', flowId, secret);
  }

  /** Makes the link for an event about to be recorded, in the same transaction. */
  async issue(q: Queryable, userId: string, event: SecurityEventKind, now: Date): Promise<IssuedFreezeLink> {
    return (await this.issueMany(q, [{ userId, event, now }]))[0]!;
  }

  /** Links for several events in one statement (a batch of movement notices). */
  async issueMany(q: Queryable, asks: readonly { userId: string; event: SecurityEventKind; now: Date }[]): Promise<IssuedFreezeLink[]> {
    const made = asks.map((a) => ({ ...a, flowId: newUuid(), eventId: newUuid(), secret: randomBytes(32).toString('base64url') }));
    await insertFlows(q, made.map((m) => ({
      id: m.flowId, kind: 'freeze' as const, userId: m.userId, now: m.now, expiresAt: new Date(m.now.getTime() + FREEZE_LINK_MS),
      data: { mac: this.#mac(m.flowId, m.secret).toString('base64url'), event: m.event, eventId: m.eventId },
    })));
    return made.map((m) => ({ url: `${this.#publicUrl}/v1/freeze?token=kpf_${m.flowId.replace(/-/g, '')}.${m.secret}`, eventId: m.eventId }));
  }

  /**
   * Locks and checks a presented token. Forged, unknown, expired and used tokens are all
   * just `invalid`: the answer is no oracle for which part was wrong.
   */
  async open(q: Queryable, token: string, now: Date): Promise<OpenedFreezeLink> {
    const m = TOKEN.exec(token);
    const flowId = m ? fromPublicId('flw', `flw_${m[1]}`) : undefined;
    if (!m || !flowId) return { kind: 'invalid' };
    const flow = await lockFlow(q, flowId, 'freeze');
    if (!flow || !flow.user_id || flow.completed_at || flow.failed_at || flow.expires_at.getTime() <= now.getTime()) return { kind: 'invalid' };
    const stored = typeof flow.data.mac === 'string' ? Buffer.from(flow.data.mac, 'base64url') : Buffer.alloc(0);
    if (!safeEqual(this.#mac(flowId, m[2]!), stored)) return { kind: 'invalid' };
    return {
      kind: 'valid', flowId, userId: flow.user_id, issuedAt: flow.created_at,
      event: flow.data.event as SecurityEventKind, eventId: String(flow.data.eventId),
    };
  }

  /** Spends the link, in the transaction that acts on it. */
  async spend(q: Queryable, flowId: string, now: Date): Promise<void> {
    await completeFlow(q, flowId, now);
  }
}
