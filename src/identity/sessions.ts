/**
 * Sessions (ID-9): opaque 256-bit tokens stored hashed, a fresh one at every
 * (re)authentication, idle and absolute expiry, listable and revocable.
 */
import type { Queryable } from '../db/pool.js';
import { isRetryable } from '../db/tx.js';
import { newUuid } from '../shared/ids.js';
import { hmac } from '../shared/crypto.js';
import { installDigest, newInstallId } from '../shared/install-id.js';
import { recordInstall } from './repo/installs.js';
import { findSessionByTokenHash, insertSession, touchSession, type SessionRow } from './repo/sessions.js';
import { findUser, type UserRow } from './repo/users.js';
import { hashSessionToken, newSessionToken } from './tokens.js';

export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
}

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
  /**
   * The install id the client presented (install.ts), well-formed or absent. A risk
   * signal only: nothing is granted for it.
   */
  installId?: string | null;
}

export interface IssuedSession {
  sessionId: string;
  token: string;
  expiresAt: Date;
  csrfToken: string;
  /**
   * Cookie sessions: the install id the browser keeps (the one it sent, or a new one when
   * it sent none), set again with the session cookies so it outlives them. Null for bearer
   * sessions: the app keeps its own and sends it in `Konpay-Install`.
   */
  installId: string | null;
}

export type Authenticated = { session: SessionRow; user: UserRow };

const TOUCH_EVERY_MS = 60_000;

export class Sessions {
  constructor(private readonly policy: SessionPolicy, private readonly signingKey: Buffer) {}

  /** The CSRF token of a cookie session: derived, so it needs no storage and dies with the session. */
  csrfToken(sessionId: string): string {
    return hmac(this.signingKey, 'csrf', sessionId).toString('base64url');
  }

  /**
   * Opens a session and notes the install it was opened on (RISK-1: accounts and sign-ups
   * per install). `opts.signup`: the account was made just now, on this install.
   */
  async issue(
    q: Queryable, userId: string, deviceId: string | null, transport: 'cookie' | 'bearer', client: ClientInfo, now: Date,
    opts: { signup?: boolean } = {},
  ): Promise<IssuedSession> {
    const { token, hash } = newSessionToken();
    const id = newUuid();
    const expiresAt = new Date(now.getTime() + this.policy.absoluteMs);
    await insertSession(q, { id, userId, deviceId, tokenHash: hash, transport, now, expiresAt, ip: client.ip, userAgent: client.userAgent });
    // A browser without an install id gets one with its first session; an app without one
    // gets none (it could not keep it), and its sign-ins are simply not counted per install.
    const installId = client.installId ?? (transport === 'cookie' ? newInstallId() : null);
    if (installId) await recordInstall(q, { digest: installDigest(installId), userId, now, signup: opts.signup ?? false });
    return { sessionId: id, token, expiresAt, csrfToken: this.csrfToken(id), installId: transport === 'cookie' ? installId : null };
  }

  /** The live session behind a token, or why there is none. */
  async resolve(q: Queryable, token: string, now: Date): Promise<Authenticated | 'unknown' | 'expired'> {
    if (!/^kps_[A-Za-z0-9_-]{43}$/.test(token)) return 'unknown';
    const session = await findSessionByTokenHash(q, hashSessionToken(token));
    if (!session || session.revoked_at) return 'unknown';
    const t = now.getTime();
    if (session.expires_at.getTime() <= t || session.last_seen_at.getTime() + this.policy.idleMs <= t) return 'expired';
    const user = await findUser(q, session.user_id);
    if (!user) return 'unknown';
    if (t - session.last_seen_at.getTime() > TOUCH_EVERY_MS) {
      // Best effort: two requests on one session may race to touch it, and under
      // SERIALIZABLE one of them loses. Losing only delays the idle clock by a request.
      await touchSession(q, session.id, now).catch((err: unknown) => {
        if (!isRetryable(err)) throw err;
      });
    }
    return { session, user };
  }
}
