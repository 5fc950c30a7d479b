/**
 * While an account must replace its password (a breached password found at sign-in, or an
 * operator's forced reset), its sessions may do nothing but replace it: the session may
 * have been opened with a password an attacker also knows. Checked once, in the session
 * preHandler every customer route shares, against this allow-list, so a route added later
 * is refused by default instead of forgotten.
 */

/** `METHOD path-pattern` as Fastify names the route. */
const ALLOWED: ReadonlySet<string> = new Set([
  'GET /v1/me', // the app learns why it is refused, and whom it is signed in as
  'POST /v1/me/password', // the way out
  'POST /v1/me/reauthenticate', // the password change needs a recent sign-in…
  'POST /v1/me/reauthenticate/sms', // …proved with the password or a code
  'POST /v1/logout', // giving up access is always allowed
  'POST /v1/me/sessions/revoke-all',
  'DELETE /v1/me/sessions/:sessionId',
]);

export function allowedWhileResetRequired(method: string, routeUrl: string | undefined): boolean {
  return routeUrl !== undefined && ALLOWED.has(`${method} ${routeUrl}`);
}
