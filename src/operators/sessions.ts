/**
 * Console sessions: opaque 256-bit tokens (`kpo_…`) kept only as SHA-256, a short idle
 * timeout and a working day's lifetime. An operator's session reaches every customer's
 * data, so it lives far shorter than a customer's (30 minutes idle, 12 hours at most,
 * by default) and is never remembered across sign-ins.
 */
import type { Queryable } from '../db/pool.js';
import { isRetryable } from '../db/tx.js';
import { hmac, randomToken, sha256 } from '../shared/crypto.js';
import { newUuid } from '../shared/ids.js';
import { findOperatorSession, insertOperatorSession, revokeOperatorSession, touchOperatorSession, type OperatorPrincipal, type OperatorSessionRow } from './repo.js';

export const OPERATOR_SESSION_PREFIX = 'kpo';
const TOKEN_SHAPE = /^kpo_[A-Za-z0-9_-]{43}$/;
/** One write a minute at most per session: the idle clock needs no finer grain. */
const TOUCH_EVERY_MS = 60_000;

export interface OperatorSessionPolicy {
  idleMs: number;
  absoluteMs: number;
}

export interface IssuedOperatorSession {
  sessionId: string;
  token: string;
  expiresAt: Date;
  csrfToken: string;
}

export type ResolvedOperatorSession = { session: OperatorSessionRow; operator: OperatorPrincipal };

export class OperatorSessions {
  constructor(readonly policy: OperatorSessionPolicy, private readonly signingKey: Buffer) {}

  /** Derived from the session id under the signing key: nothing to store, dies with the session. */
  csrfToken(sessionId: string): string {
    return hmac(this.signingKey, 'ops-csrf', sessionId).toString('base64url');
  }

  async issue(q: Queryable, operatorId: string, client: { ip: string | null; userAgent: string | null }, now: Date): Promise<IssuedOperatorSession> {
    const token = randomToken(OPERATOR_SESSION_PREFIX, 32);
    const id = newUuid();
    const expiresAt = new Date(now.getTime() + this.policy.absoluteMs);
    await insertOperatorSession(q, { id, operatorId, tokenHash: sha256(token), now, expiresAt, ...client });
    return { sessionId: id, token, expiresAt, csrfToken: this.csrfToken(id) };
  }

  /** The live session behind a token; anything else (unknown, revoked, idle, expired, disabled operator) is undefined. */
  async resolve(q: Queryable, token: string, now: Date): Promise<ResolvedOperatorSession | undefined> {
    if (!TOKEN_SHAPE.test(token)) return undefined;
    const found = await findOperatorSession(q, sha256(token));
    if (!found || found.session.revoked_at || found.operator.disabled_at) return undefined;
    const t = now.getTime();
    if (found.session.expires_at.getTime() <= t || found.session.last_seen_at.getTime() + this.policy.idleMs <= t) return undefined;
    if (t - found.session.last_seen_at.getTime() > TOUCH_EVERY_MS) {
      // Two requests racing to touch lose nothing but a minute of idle clock.
      await touchOperatorSession(q, found.session.id, now).catch((err: unknown) => {
        if (!isRetryable(err)) throw err;
      });
    }
    return found;
  }

  revoke(q: Queryable, sessionId: string, now: Date): Promise<void> {
    return revokeOperatorSession(q, sessionId, now);
  }
}
