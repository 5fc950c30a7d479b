/** POST /v1/me/reauthenticate: prove it is you again and get a new, privileged session. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemSchema } from '../../http/problem.js';
import { problem } from '../../shared/errors.js';
import type { IdentityDeps } from '../deps.js';
import { identityErrors } from '../errors.js';
import { clientOf, requireSession, setSessionCookies, type AuthDeps } from '../http-auth.js';
import { commonProblem, retryAfter } from '../problems.js';
import { accepted } from '../schemas.js';
import { passkeyFactorOptions } from '../factors/webauthn-schemas.js';
import { reauthPasskeyOptions } from './reauth-passkey.js';
import { reauthenticate, sendReauthSms } from './reauth.js';
import { reauthBody, reauthenticated } from './schemas.js';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 423: problemSchema, 428: problemSchema, 429: problemSchema };
const security: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];

export function reauthRoutes(d: IdentityDeps, auth: AuthDeps & { privilegedWindowMs: number }): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('preHandler', requireSession(auth));

    app.post('/v1/me/reauthenticate', {
      schema: {
        tags: ['account'], summary: 'Confirm it is you, to change e-mail, phone, password or sign-in methods',
        description: 'With the password or a second factor (an SMS, TOTP or recovery code, or with `method: passkey` the assertion answering POST /v1/me/reauthenticate/passkey/options). Answers a NEW session (the old token stops working) that may make privileged changes for 5 minutes; a second factor (not the password) also answers a risk step-up (`step_up_required`) for 10 minutes. Five wrong answers sign the session out.',
        security, body: reauthBody, response: { 200: reauthenticated, ...errors },
      },
    }, async (req, reply) => {
      const r = await reauthenticate(d, req.auth!, req.body, clientOf(req));
      switch (r.kind) {
        case 'reauthenticated': {
          const s = r.session;
          if (r.transport === 'cookie') setSessionCookies(reply, s, undefined, auth.secureCookies);
          return {
            status: 'reauthenticated' as const,
            session: r.transport === 'bearer' ? { token: s.token, expiresAt: s.expiresAt.toISOString() } : { expiresAt: s.expiresAt.toISOString(), csrfToken: s.csrfToken },
            privilegedUntil: new Date(d.clock.now().getTime() + auth.privilegedWindowMs).toISOString(),
          };
        }
        case 'password_wrong': throw problem(identityErrors, 'password_wrong', undefined, { remaining: r.remaining });
        case 'locked': throw problem(identityErrors, 'reauthentication_locked');
        case 'wait': throw problem(identityErrors, 'login_throttled', undefined, retryAfter(r.retryAfterMs));
        case 'proof_of_work_required': throw problem(identityErrors, 'proof_of_work_required');
        default: throw commonProblem(r);
      }
    });

    app.post('/v1/me/reauthenticate/sms', {
      schema: { tags: ['account'], summary: 'Send a re-authentication code by SMS to your verified phone', security, response: { 202: accepted, ...errors } },
    }, async (req, reply) => {
      const r = await sendReauthSms(d, req.auth!, clientOf(req));
      if (r.kind === 'locked') throw problem(identityErrors, 'reauthentication_locked');
      if (r.kind !== 'sent') throw commonProblem(r);
      return reply.code(202).send({ status: 'sent' as const });
    });

    app.post('/v1/me/reauthenticate/passkey/options', {
      schema: {
        tags: ['account'], summary: 'Options for confirming it is you with one of your passkeys',
        description: 'Only this account\'s passkeys, user verification required. The challenge belongs to this session, lasts 5 minutes and answers one attempt; asking again replaces it. Answer with POST /v1/me/reauthenticate `{method: "passkey", response}`.',
        security, response: { 200: passkeyFactorOptions, ...errors },
      },
    }, async (req) => {
      const r = await reauthPasskeyOptions(d, req.auth!);
      if (r.kind === 'locked') throw problem(identityErrors, 'reauthentication_locked');
      if (r.kind !== 'options') throw commonProblem(r);
      return { expiresAt: r.expiresAt.toISOString(), options: { ...r.options } };
    });
  };
}
