/**
 * The install id over HTTP (RISK-1; the id itself: src/shared/install-id.ts). The web
 * wallet keeps it in the `konpay_install` cookie, which the server sets with a cookie
 * session and sends back to /v1 only; the app sends its own in the `Konpay-Install` header.
 * A risk signal only: it authenticates nothing and is never logged.
 *
 * A malformed header is refused (400 `install_id_invalid`) rather than ignored. Ignoring it
 * would protect nothing (leaving the header out has the same effect, and anyone can), but
 * an app release that garbled it would silently turn off the per-install rules for all
 * its customers; refused, the bug shows in the first test run. A malformed cookie is
 * replaced instead: the browser cannot fix what the server set.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { problem } from '../shared/errors.js';
import { isInstallId } from '../shared/install-id.js';
import { identityErrors } from './errors.js';

export const INSTALL_COOKIE = 'konpay_install';
export const INSTALL_HEADER = 'konpay-install';
/** Browsers cap a cookie's lifetime at 400 days; it is set again at every cookie sign-in, so an install in use keeps its id. */
const INSTALL_COOKIE_DAYS = 400;

/** The install id the client presented: the app's header first, else the browser's cookie. */
export function installOf(req: FastifyRequest): string | null {
  const sent = req.headers[INSTALL_HEADER];
  if (sent !== undefined) {
    if (typeof sent !== 'string' || !isInstallId(sent)) throw problem(identityErrors, 'install_id_invalid');
    return sent;
  }
  const kept = req.cookies[INSTALL_COOKIE];
  return kept !== undefined && isInstallId(kept) ? kept : null;
}

/** HttpOnly (no script reads it), Lax, only for the API (`/v1`, OIDC callbacks included). */
export function setInstallCookie(reply: FastifyReply, installId: string, secure: boolean): void {
  reply.setCookie(INSTALL_COOKIE, installId, { path: '/v1', httpOnly: true, sameSite: 'lax', secure, maxAge: INSTALL_COOKIE_DAYS * 86_400 });
}
