/**
 * Who is calling the operator API. For now one shared bearer token (OPERATOR_API_TOKEN)
 * stands for every operator; operator accounts with roles and a second factor (OPS-2)
 * come later and replace `apiTokenAuthenticator` with their own `OperatorAuthenticator`.
 * Routes depend only on `req.operator`, so they do not change when that happens.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { safeEqual, sha256 } from '../../shared/crypto.js';
import { problem } from '../../shared/errors.js';
import { operatorErrors } from './errors.js';

export interface OperatorIdentity {
  /** Written into every action log line as "who". `operator-token` until operators have accounts. */
  readonly id: string;
  readonly via: 'api-token';
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireOperator` on every operator route. */
    operator?: OperatorIdentity;
  }
}

/** Answers the operator behind a request, or undefined when it proves none. */
export type OperatorAuthenticator = (req: FastifyRequest) => Promise<OperatorIdentity | undefined>;

const TOKEN_OPERATOR: OperatorIdentity = Object.freeze({ id: 'operator-token', via: 'api-token' });

/**
 * Bearer-token check in constant time. Both sides are hashed first, so the comparison
 * always runs over 32 bytes and says nothing about the token's length either.
 */
export function apiTokenAuthenticator(token: string): OperatorAuthenticator {
  const expected = sha256(token);
  return async (req) => {
    const m = /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '');
    if (!m) return undefined;
    return safeEqual(sha256(m[1]!), expected) ? TOKEN_OPERATOR : undefined;
  };
}

/**
 * The onRequest hook of the operator plugin: before the body is even read, so an
 * unauthenticated caller learns nothing about what the routes accept.
 */
export function requireOperator(authenticate: OperatorAuthenticator) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const operator = await authenticate(req);
    if (!operator) {
      req.log.warn({ url: req.url.split('?')[0], credential: req.headers.authorization ? 'refused' : 'missing' }, 'operator authentication refused');
      reply.header('www-authenticate', 'Bearer realm="konpay-ops"');
      throw problem(operatorErrors, 'operator_unauthorized');
    }
    req.operator = operator;
  };
}
