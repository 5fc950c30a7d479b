/**
 * `POST /ops/v1/session` signs an operator in (public, throttled); `GET` says who is
 * signed in (and the CSRF token, for a console reloaded in the same browser); `DELETE`
 * signs out. GET and DELETE live inside the operator plugin, behind `requireOperator`.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withTransaction } from '../db/tx.js';
import { problemSchema } from '../http/problem.js';
import { clientOf } from '../identity/http-auth.js';
import { retryAfter } from '../identity/problems.js';
import { recordOperatorAction } from '../ops/http/audit.js';
import { OPERATOR_SECURITY, OPERATOR_TAGS, operatorProblems } from '../ops/http/contract.js';
import { problem } from '../shared/errors.js';
import { toPublicId } from '../shared/ids.js';
import type { OperatorSignInDeps } from './deps.js';
import { operatorAccountErrors } from './errors.js';
import { clearOperatorCookie, setOperatorCookie } from './http-auth.js';
import { operatorSignedIn, operatorWhoAmI, signInBody } from './schemas.js';
import { signInOperator } from './sign-in.js';

export function operatorSignInRoutes(d: OperatorSignInDeps, opts: { secureCookies: boolean }): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/ops/v1/session', {
      schema: {
        tags: OPERATOR_TAGS, summary: 'Sign an operator in to the console: e-mail, password and TOTP code',
        description: 'Sets the HttpOnly `konpay_ops` cookie (path `/ops/v1`, SameSite=Strict). Every failure answers the same 401.',
        body: signInBody, response: { 200: operatorSignedIn, 401: problemSchema, 429: problemSchema },
      },
    }, async (req, reply) => {
      const client = clientOf(req);
      const r = await signInOperator(d, req.body, { ip: client.ip ?? 'unknown', userAgent: client.userAgent });
      if (r.kind === 'throttled') {
        req.log.warn('operator sign-in throttled');
        throw problem(operatorAccountErrors, 'operator_sign_in_throttled', undefined, retryAfter(r.retryAfterMs));
      }
      if (r.kind === 'failed') {
        // Nothing typed is logged: a password pasted into the address field would land here.
        req.log.warn('operator sign-in refused');
        throw problem(operatorAccountErrors, 'operator_sign_in_failed');
      }
      const id = toPublicId('opr', r.operator.id);
      // The chain's row was appended with the session (./sign-in.ts); this is the log line.
      req.log.info({ audit: { who: id, action: 'operator.sign_in', ids: { operatorId: id }, outcome: 'signed_in' } }, 'operator action');
      setOperatorCookie(reply, r.session, opts.secureCookies);
      reply.header('cache-control', 'no-store');
      return {
        operator: { id, name: r.operator.name, email: r.operator.email, role: r.operator.role, via: 'console' as const },
        csrfToken: r.session.csrfToken, expiresAt: r.session.expiresAt.toISOString(),
        idleTimeoutSeconds: Math.round(d.sessions.policy.idleMs / 1000),
      };
    });
  };
}

export function operatorSessionRoutes(d: OperatorSignInDeps, opts: { secureCookies: boolean }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/ops/v1/session', {
      schema: { tags: OPERATOR_TAGS, summary: 'Who is signed in', security: OPERATOR_SECURITY, response: { 200: operatorWhoAmI, ...operatorProblems } },
    }, async (req, reply) => {
      const o = req.operator!;
      reply.header('cache-control', 'no-store');
      return o.via === 'console'
        ? { operator: { id: o.id, name: o.name, email: o.email, role: o.role, via: o.via }, csrfToken: o.csrfToken }
        : { operator: { id: o.id, name: 'OPERATOR_API_TOKEN', email: null, role: o.role, via: o.via }, csrfToken: null };
    });

    app.delete('/ops/v1/session', {
      schema: { tags: OPERATOR_TAGS, summary: 'Sign this console session out', security: OPERATOR_SECURITY, response: { 204: z.null(), ...operatorProblems, 403: problemSchema } },
    }, async (req, reply) => {
      const o = req.operator!;
      // The session ends with its audit row or not at all.
      await withTransaction(d.pool, async (q) => {
        if (o.via === 'console') await d.sessions.revoke(q, o.sessionId, d.clock.now());
        await recordOperatorAction(req, 'operator.sign_out', { operatorId: o.id }, 'signed_out', q);
      });
      clearOperatorCookie(reply, opts.secureCookies);
      return reply.code(204).send(null);
    });
  };
}
