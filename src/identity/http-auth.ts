/**
 * Who is calling: the session behind `Authorization: Bearer kps_…` (the app) or the
 * `konpay_session` cookie (the web apps). Cookie-authenticated writes must also carry
 * the CSRF token; bearer tokens are not sent by browsers on their own, so they need none.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { problem } from '../shared/errors.js';
import { safeEqual } from '../shared/crypto.js';
import { identityErrors } from './errors.js';
import { installOf, setInstallCookie } from './install.js';
import { allowedWhileResetRequired } from './reset-gate.js';
import type { Authenticated, IssuedSession, Sessions } from './sessions.js';
import type pg from 'pg';
import type { Clock } from '../shared/clock.js';

export const SESSION_COOKIE = 'konpay_session';
export const CSRF_COOKIE = 'konpay_csrf';
export const DEVICE_COOKIE = 'konpay_device';
export const DEVICE_HEADER = 'x-konpay-device';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyRequest {
    auth?: Authenticated;
  }
}

export interface AuthDeps {
  pool: pg.Pool;
  clock: Clock;
  sessions: Sessions;
  secureCookies: boolean;
}

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m?.[1];
}

/** A preHandler that refuses the request unless it carries a live session. */
export function requireSession(deps: AuthDeps) {
  return async (req: FastifyRequest): Promise<void> => {
    const fromHeader = bearer(req);
    const token = fromHeader ?? req.cookies[SESSION_COOKIE];
    if (!token) throw problem(identityErrors, 'unauthenticated');
    const r = await deps.sessions.resolve(deps.pool, token, deps.clock.now());
    if (r === 'unknown') throw problem(identityErrors, 'unauthenticated');
    if (r === 'expired') throw problem(identityErrors, 'session_expired');
    if (!fromHeader && !SAFE_METHODS.has(req.method)) {
      const sent = req.headers['x-csrf-token'];
      const expected = Buffer.from(deps.sessions.csrfToken(r.session.id));
      if (typeof sent !== 'string' || !safeEqual(Buffer.from(sent), expected)) throw problem(identityErrors, 'csrf_failed');
    }
    if (r.user.must_reset_password && !allowedWhileResetRequired(req.method, req.routeOptions.url)) {
      throw problem(identityErrors, 'password_reset_required');
    }
    req.auth = r;
  };
}

/**
 * For privileged changes (ID-8): after requireSession, refuses unless the session
 * (re)authenticated within the window (5 minutes by default).
 */
export function requirePrivileged(deps: AuthDeps & { privilegedWindowMs: number }) {
  return async (req: FastifyRequest): Promise<void> => {
    const auth = req.auth;
    if (!auth) throw problem(identityErrors, 'unauthenticated');
    const age = deps.clock.now().getTime() - auth.session.authenticated_at.getTime();
    if (age > deps.privilegedWindowMs) {
      throw problem(identityErrors, 'reauthentication_required', undefined, { windowSeconds: Math.round(deps.privilegedWindowMs / 1000) });
    }
  };
}

/** The device credential a client presents: the app's header or the browser's cookie. */
export function deviceCredentialOf(req: FastifyRequest): string | undefined {
  const h = req.headers[DEVICE_HEADER];
  return (typeof h === 'string' ? h : undefined) ?? req.cookies[DEVICE_COOKIE];
}

/**
 * Where a request comes from: address, user agent and install id (install.ts; a malformed
 * `Konpay-Install` header is refused here with 400 `install_id_invalid`).
 */
export function clientOf(req: FastifyRequest) {
  const ua = req.headers['user-agent'];
  return { ip: req.ip ?? null, userAgent: typeof ua === 'string' ? ua.slice(0, 256) : null, installId: installOf(req) };
}

/** For cookie sessions: sets the session, CSRF, install and (when given) device cookies. */
export function setSessionCookies(reply: FastifyReply, s: IssuedSession, deviceCredential: string | undefined, secure: boolean): void {
  const base = { path: '/', sameSite: 'lax' as const, secure };
  reply.setCookie(SESSION_COOKIE, s.token, { ...base, httpOnly: true, expires: s.expiresAt });
  reply.setCookie(CSRF_COOKIE, s.csrfToken, { ...base, httpOnly: false, expires: s.expiresAt });
  if (s.installId) setInstallCookie(reply, s.installId, secure);
  if (deviceCredential) reply.setCookie(DEVICE_COOKIE, deviceCredential, { ...base, httpOnly: true, maxAge: 400 * 86_400 });
}

export function clearSessionCookies(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
}
