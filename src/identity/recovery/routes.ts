/** Recovery endpoints (ID-7): validate, call the use case, map its outcome. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemSchema } from '../../http/problem.js';
import { problem } from '../../shared/errors.js';
import { toPublicId } from '../../shared/ids.js';
import { identityErrors } from '../errors.js';
import { clientOf } from '../http-auth.js';
import { issued } from '../routes/auth.js';
import { accepted, flowIdParam, sessionIssued } from '../schemas.js';
import { passkeyFactorOptions } from '../factors/webauthn-schemas.js';
import { completeRecovery } from './complete.js';
import type { AccountDeps } from './deps.js';
import { recoveryPasskeyOptions } from './passkey.js';
import { commonProblem, flowUuid } from '../problems.js';
import { recoveryCompleteBody, recoveryEmailBody, recoveryEmailVerified, recoveryStartBody, recoveryStarted } from './schemas.js';
import { sendRecoverySms, startRecovery, verifyRecoveryEmail } from './start.js';

const errors = { 400: problemSchema, 401: problemSchema, 404: problemSchema, 409: problemSchema, 423: problemSchema, 429: problemSchema };

export function recoveryRoutes(d: AccountDeps, opts: { secureCookies: boolean }): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/v1/recovery', {
      schema: {
        tags: ['identity'], summary: 'Forgot your password: start recovering the account',
        description: 'Name the account by e-mail address or mobile number, and nothing else. A code goes to the verified e-mail address on file; finishing also needs a second factor. Every well-formed request gets the same 202, registered or not.',
        body: recoveryStartBody, response: { 202: recoveryStarted, ...errors },
      },
    }, async (req, reply) => {
      const r = await startRecovery(d, req.body.identifier, clientOf(req));
      return reply.code(202).send({
        flowId: toPublicId('flw', r.flowId), expiresInSeconds: Math.round(r.expiresInMs / 1000),
        next: 'POST /v1/recovery/{flowId}/email with the code e-mailed to the address on file',
      });
    });

    app.post('/v1/recovery/:flowId/email', {
      schema: { tags: ['identity'], summary: 'Prove the code e-mailed to the address on file', params: flowIdParam, body: recoveryEmailBody, response: { 200: recoveryEmailVerified, ...errors } },
    }, async (req) => {
      const r = await verifyRecoveryEmail(d, flowUuid(req.params.flowId), req.body.code);
      if (r.kind !== 'email_verified') throw commonProblem(r);
      return {
        status: 'email_verified' as const, methods: r.methods,
        next: 'POST /v1/recovery/{flowId}/complete with a second factor and the new password (for sms, POST /v1/recovery/{flowId}/sms first; for a passkey, POST /v1/recovery/{flowId}/passkey/options)',
      };
    });

    app.post('/v1/recovery/:flowId/sms', {
      schema: { tags: ['identity'], summary: 'Send the SMS code to the verified phone on file', description: 'Only after the e-mail code is proven.', params: flowIdParam, response: { 202: accepted, ...errors } },
    }, async (req, reply) => {
      const r = await sendRecoverySms(d, flowUuid(req.params.flowId), clientOf(req));
      if (r.kind !== 'sent') throw commonProblem(r);
      return reply.code(202).send({ status: 'sent' as const });
    });

    app.post('/v1/recovery/:flowId/passkey/options', {
      schema: {
        tags: ['identity'], summary: 'Options for finishing recovery with one of the account\'s passkeys',
        description: 'Only after the e-mail code is proven. Only this account\'s passkeys, user verification required; the challenge belongs to this flow, lasts 5 minutes and answers one attempt.',
        params: flowIdParam, response: { 200: passkeyFactorOptions, ...errors },
      },
    }, async (req) => {
      const r = await recoveryPasskeyOptions(d, flowUuid(req.params.flowId));
      if (r.kind !== 'options') throw commonProblem(r);
      return { expiresAt: r.expiresAt.toISOString(), options: { ...r.options } };
    });

    app.post('/v1/recovery/:flowId/complete', {
      schema: {
        tags: ['identity'], summary: 'Finish recovery with a second factor and a new password',
        description: 'The second factor is a code (`sms`, `totp`, `recovery_code`) or, with `method: passkey`, the assertion answering POST /v1/recovery/{flowId}/passkey/options; refused ones share a budget of 5 per flow. Signs out every session and forgets every device, restricts the account for 24 hours, tells the customer by e-mail, push and SMS, and opens a session on this device (remembered as a new device).',
        params: flowIdParam, body: recoveryCompleteBody, response: { 200: sessionIssued, ...errors },
      },
    }, async (req, reply) => {
      const r = await completeRecovery(d, flowUuid(req.params.flowId), req.body, clientOf(req));
      if (r.kind === 'recovered') return issued(reply, opts.secureCookies, req.body.transport, { ...r, mustResetPassword: false });
      if (r.kind === 'weak_password') throw problem(identityErrors, 'weak_password', undefined, { reason: r.reason });
      throw commonProblem(r);
    });
  };
}
