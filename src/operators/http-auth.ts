/**
 * The console's cookie: `konpay_ops`, HttpOnly (no script reads it), SameSite=Strict (no
 * other site's page can make the browser send it, not even a top-level link), Secure on
 * https, and scoped to the operator API's path so the wallet and POS pages never carry it.
 */
import type { FastifyReply } from 'fastify';
import type pg from 'pg';
import type { OperatorAuthenticator } from '../ops/http/auth.js';
import type { Clock } from '../shared/clock.js';
import { toPublicId } from '../shared/ids.js';
import type { IssuedOperatorSession, OperatorSessions } from './sessions.js';

export const OPERATOR_COOKIE = 'konpay_ops';
export const OPERATOR_COOKIE_PATH = '/ops/v1';

export function consoleAuthenticator(d: { pool: pg.Pool; clock: Clock; sessions: OperatorSessions }): OperatorAuthenticator {
  return async (req) => {
    const token = req.cookies[OPERATOR_COOKIE];
    if (!token) return undefined;
    const r = await d.sessions.resolve(d.pool, token, d.clock.now());
    if (!r) return undefined;
    return {
      id: toPublicId('opr', r.operator.id), via: 'console', role: r.operator.role, name: r.operator.name, email: r.operator.email,
      sessionId: r.session.id, csrfToken: d.sessions.csrfToken(r.session.id),
    };
  };
}

export function setOperatorCookie(reply: FastifyReply, s: IssuedOperatorSession, secure: boolean): void {
  reply.setCookie(OPERATOR_COOKIE, s.token, { path: OPERATOR_COOKIE_PATH, httpOnly: true, sameSite: 'strict', secure, expires: s.expiresAt });
}

export function clearOperatorCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(OPERATOR_COOKIE, { path: OPERATOR_COOKIE_PATH, httpOnly: true, sameSite: 'strict', secure });
}
