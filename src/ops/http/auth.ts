/**
 * Who is calling the operator API: a machine with the shared bearer token
 * (OPERATOR_API_TOKEN), or a person signed in to the console with a password and a TOTP
 * code (src/operators/, cookie `konpay_ops`). Routes depend only on `req.operator`.
 *
 * `requireOperator` then applies the two checks a browser session needs and a bearer
 * token does not: the CSRF token on writes (a cookie is sent by the browser on its own,
 * a bearer header never is) and the route's role (./roles.ts).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OperatorRole } from '../../operators/repo.js';
import { operatorAccountErrors } from '../../operators/errors.js';
import { safeEqual, sha256 } from '../../shared/crypto.js';
import { problem } from '../../shared/errors.js';
import { appendFor } from './audit.js';
import { operatorErrors } from './errors.js';
import { rolesFor } from './roles.js';

export type { OperatorRole };

export type OperatorIdentity =
  /** The machine token: it predates roles and can do everything, as an admin. */
  | { readonly id: 'operator-token'; readonly via: 'api-token'; readonly role: 'admin' }
  | {
      /** `opr_…`, written into every action log line as "who". */
      readonly id: string;
      readonly via: 'console';
      readonly role: OperatorRole;
      readonly name: string;
      readonly email: string;
      readonly sessionId: string;
      /** The CSRF token this session's writes must carry (derived, never stored). */
      readonly csrfToken: string;
    };

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireOperator` on every operator route. */
    operator?: OperatorIdentity;
  }
}

/** Answers the operator behind a request, or undefined when it proves none. */
export type OperatorAuthenticator = (req: FastifyRequest) => Promise<OperatorIdentity | undefined>;

const TOKEN_OPERATOR = Object.freeze({ id: 'operator-token', via: 'api-token', role: 'admin' } as const);

const bearerOf = (req: FastifyRequest) => /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '')?.[1];

/**
 * Bearer-token check in constant time. Both sides are hashed first, so the comparison
 * always runs over 32 bytes and says nothing about the token's length either.
 */
export function apiTokenAuthenticator(token: string): OperatorAuthenticator {
  const expected = sha256(token);
  return async (req) => {
    const sent = bearerOf(req);
    if (!sent) return undefined;
    return safeEqual(sha256(sent), expected) ? TOKEN_OPERATOR : undefined;
  };
}

/**
 * The machine token when the request carries an Authorization header (and the token is
 * configured), else the console session. A request with a header is judged by it alone:
 * a wrong token is refused, never rescued by a cookie riding along.
 */
export function operatorAuthenticator(o: { token: OperatorAuthenticator | undefined; console: OperatorAuthenticator }): OperatorAuthenticator {
  return async (req) => {
    if (req.headers.authorization !== undefined) return o.token ? o.token(req) : undefined;
    return o.console(req);
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The onRequest hook of the operator plugin: before the body is even read, so an
 * unauthenticated caller learns nothing about what the routes accept.
 */
export function requireOperator(authenticate: OperatorAuthenticator) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const operator = await authenticate(req);
    if (!operator) {
      req.log.warn({ url: req.url.split('?')[0], credential: req.headers.authorization || req.headers.cookie ? 'refused' : 'missing' }, 'operator authentication refused');
      reply.header('www-authenticate', 'Bearer realm="konpay-ops"');
      throw problem(operatorErrors, 'operator_unauthorized');
    }
    if (operator.via === 'console' && !SAFE_METHODS.has(req.method)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !safeEqual(Buffer.from(sent), Buffer.from(operator.csrfToken))) {
        req.log.warn({ who: operator.id, url: req.url.split('?')[0] }, 'operator request without its CSRF token');
        throw problem(operatorAccountErrors, 'operator_csrf_failed');
      }
    }
    if (!rolesFor(req.method, req.routeOptions.url ?? '').includes(operator.role)) {
      // A refusal is an operator action too: in the audit chain (appendFor also logs it).
      await appendFor(req, { who: operator.id, action: 'role.refused', ids: { route: `${req.method} ${req.routeOptions.url ?? ''}` }, outcome: 'forbidden' });
      throw problem(operatorAccountErrors, 'operator_forbidden');
    }
    req.operator = operator;
  };
}
