/** Privileged changes (ID-8): password, e-mail, phone. Each needs a session re-authenticated within minutes. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemSchema } from '../../http/problem.js';
import { problem } from '../../shared/errors.js';
import { toPublicId } from '../../shared/ids.js';
import { identityErrors } from '../errors.js';
import { clientOf, requirePrivileged, requireSession, type AuthDeps } from '../http-auth.js';
import type { AccountDeps } from '../recovery/deps.js';
import { commonProblem, flowUuid } from '../problems.js';
import { flowIdParam } from '../schemas.js';
import { confirmContactChange, startContactChange, type ContactKind } from './contact.js';
import { changePassword } from './password.js';
import { changeStarted, confirmBody, contactChanged, emailChangeBody, passwordChangeBody, passwordChanged, phoneChangeBody } from './schemas.js';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 429: problemSchema };
const security: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];
const PRIVILEGED = 'Needs a re-authentication within the last 5 minutes (POST /v1/me/reauthenticate).';

export function changeRoutes(d: AccountDeps, auth: AuthDeps & { privilegedWindowMs: number }): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('preHandler', requireSession(auth));
    const preHandler = requirePrivileged(auth);

    app.post('/v1/me/password', {
      preHandler,
      schema: {
        tags: ['account'], summary: 'Change your password',
        description: `Signs out every other session, restricts the account for 24 hours and notifies you. ${PRIVILEGED}`,
        security, body: passwordChangeBody, response: { 200: passwordChanged, ...errors },
      },
    }, async (req) => {
      const r = await changePassword(d, req.auth!, req.body, clientOf(req));
      switch (r.kind) {
        case 'changed': return { status: 'changed' as const, sessionsRevoked: r.sessionsRevoked, restrictedUntil: r.restrictedUntil.toISOString() };
        case 'weak_password': throw problem(identityErrors, 'weak_password', undefined, { reason: r.reason });
        case 'password_wrong': throw problem(identityErrors, 'password_wrong', undefined, { remaining: r.remaining });
        case 'locked': throw problem(identityErrors, 'reauthentication_locked');
      }
    });

    for (const kind of ['email', 'phone'] as const satisfies readonly ContactKind[]) {
      const field = kind === 'email' ? 'newEmail' : 'newPhone';
      app.post(`/v1/me/${kind}`, {
        preHandler,
        schema: {
          tags: ['account'], summary: kind === 'email' ? 'Change your e-mail address: sends a code to the new one' : 'Change your phone number: sends an SMS code to the new one',
          description: `The change happens when the code is confirmed. ${PRIVILEGED}`,
          security, body: kind === 'email' ? emailChangeBody : phoneChangeBody, response: { 202: changeStarted, ...errors },
        },
      }, async (req, reply) => {
        const body = req.body as Record<typeof field, string>;
        const r = await startContactChange(d, req.auth!, kind, body[field], clientOf(req));
        if (r.kind === 'invalid') throw problem(identityErrors, kind === 'email' ? 'invalid_email' : 'invalid_phone');
        if (r.kind === 'unchanged') throw problem(identityErrors, 'contact_unchanged');
        if (r.kind === 'limited') throw commonProblem(r);
        return reply.code(202).send({ flowId: toPublicId('flw', r.flowId), expiresInSeconds: Math.round(r.expiresInMs / 1000), next: `POST /v1/me/${kind}/{flowId}/confirm with the code` });
      });

      app.post(`/v1/me/${kind}/:flowId/confirm`, {
        preHandler,
        schema: {
          tags: ['account'], summary: kind === 'email' ? 'Confirm the new e-mail address with its code' : 'Confirm the new phone number with its SMS code',
          description: `Switches it, restricts the account for 24 hours and sends the old ${kind === 'email' ? 'address' : 'number'} a notice with a "this wasn't me" link. ${PRIVILEGED}`,
          security, params: flowIdParam, body: confirmBody, response: { 200: contactChanged, ...errors },
        },
      }, async (req) => {
        const r = await confirmContactChange(d, req.auth!, kind, flowUuid(req.params.flowId), req.body.code, clientOf(req));
        if (r.kind === 'changed') return { status: 'changed' as const, email: r.user.email, phone: r.user.phone, restrictedUntil: r.restrictedUntil.toISOString() };
        if (r.kind === 'taken') throw problem(identityErrors, 'contact_taken');
        throw commonProblem(r);
      });
    }
  };
}
