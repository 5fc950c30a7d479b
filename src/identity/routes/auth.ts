/** Sign-up and login endpoints: validate, call the use case, map its outcome. */
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemSchema } from '../../http/problem.js';
import { problem } from '../../shared/errors.js';
import { toPublicId } from '../../shared/ids.js';
import type { IdentityDeps } from '../deps.js';
import { identityErrors } from '../errors.js';
import { riskErrors } from '../../risk/errors.js';
import { clientOf, deviceCredentialOf, setSessionCookies } from '../http-auth.js';
import { passkeyFactorOptions } from '../factors/webauthn-schemas.js';
import { completeLogin, login, loginPasskeyOptions, sendLoginSms } from '../login.js';
import {
  accepted, flowIdParam, flowStarted, loginBody, loginVerifyBody, resendBody, secondFactorRequired, sessionIssued,
  signupBody, signupPending, signupVerifyBody,
} from '../schemas.js';
import { commonProblem, flowUuid, retryAfter } from '../problems.js';
import type { IssuedSession } from '../sessions.js';
import { resendSignupCode, startSignup, verifySignup } from '../signup.js';
import { refuseIfPaused } from '../../ops/switches/errors.js';
import type { FeatureGate } from '../../ops/switches/features.js';

const errors = { 400: problemSchema, 401: problemSchema, 404: problemSchema, 409: problemSchema, 423: problemSchema, 429: problemSchema };
/** Sign-up's steps may also answer 503 `feature_paused` (the sign-ups kill switch, OPS-1). */
const signupErrors = { ...errors, 503: problemSchema };

/** The body (and, for the web, cookies) of a new session; passkey login (factors/) answers the same way. */
export function issued(reply: FastifyReply, secure: boolean, transport: 'bearer' | 'cookie', r: {
  userId: string; session: IssuedSession; deviceCredential?: string; restrictedUntil?: Date | null; mustResetPassword: boolean;
}) {
  if (transport === 'cookie') setSessionCookies(reply, r.session, r.deviceCredential, secure);
  return {
    status: 'authenticated' as const,
    userId: toPublicId('usr', r.userId),
    session: transport === 'bearer'
      ? { token: r.session.token, expiresAt: r.session.expiresAt.toISOString() }
      : { expiresAt: r.session.expiresAt.toISOString(), csrfToken: r.session.csrfToken },
    ...(transport === 'bearer' && r.deviceCredential ? { deviceCredential: r.deviceCredential } : {}),
    restrictedUntil: r.restrictedUntil?.toISOString() ?? null,
    mustResetPassword: r.mustResetPassword,
  };
}

/**
 * `opts.switches`: while operations have sign-ups switched off, every step of a sign-up
 * (start, verify, resend) answers 503 `feature_paused`, checked before any code is sent or
 * checked, so no account is made during the pause and a flow begun before it can still
 * finish (within its lifetime) once sign-ups resume.
 */
export function authRoutes(d: IdentityDeps, opts: { secureCookies: boolean; switches: FeatureGate }): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/v1/signup', {
      schema: {
        tags: ['identity'], summary: 'Start a sign-up: sends a code to the e-mail address and one by SMS',
        description: 'Always answers 202 for a well-formed request, whether or not the address or number is already registered (no enumeration). An existing owner gets a notice instead of a code.',
        body: signupBody, response: { 202: flowStarted, ...signupErrors },
      },
    }, async (req, reply) => {
      refuseIfPaused(opts.switches, 'signups');
      const r = await startSignup(d, req.body, clientOf(req));
      if (r.kind === 'limited') throw problem(identityErrors, 'code_send_limit', undefined, retryAfter(r.retryAfterMs));
      if (r.kind === 'invalid_email') throw problem(identityErrors, 'invalid_email');
      if (r.kind === 'invalid_phone') throw problem(identityErrors, 'invalid_phone');
      if (r.kind === 'weak_password') throw problem(identityErrors, 'weak_password', undefined, { reason: r.reason });
      return reply.code(202).send({ flowId: toPublicId('flw', r.flowId), expiresAt: r.expiresAt.toISOString(), next: 'POST /v1/signup/{flowId}/verify with emailCode and smsCode' });
    });

    app.post('/v1/signup/:flowId/verify', {
      schema: {
        tags: ['identity'], summary: 'Finish a sign-up with the two codes',
        description: 'Codes may be sent together or one at a time. Each code allows 5 wrong entries; then the flow ends.',
        params: flowIdParam, body: signupVerifyBody, response: { 200: signupPending, 201: sessionIssued, ...signupErrors },
      },
    }, async (req, reply) => {
      refuseIfPaused(opts.switches, 'signups');
      const r = await verifySignup(d, flowUuid(req.params.flowId), req.body, clientOf(req));
      switch (r.kind) {
        case 'created': return reply.code(201).send(issued(reply, opts.secureCookies, req.body.transport, { ...r, restrictedUntil: null, mustResetPassword: false }));
        case 'pending': return { status: 'pending' as const, remaining: r.remaining };
        case 'wrong': throw problem(identityErrors, 'code_wrong', `${r.field} is not right.`, { field: r.field, remaining: r.remaining });
        case 'expired': throw problem(identityErrors, 'code_expired', undefined, { field: r.field });
        case 'flow_not_found': throw problem(identityErrors, 'flow_not_found');
        case 'too_many_attempts': throw problem(identityErrors, 'too_many_attempts');
        case 'account_exists': throw problem(identityErrors, 'account_exists');
        case 'risk_declined': throw problem(riskErrors, 'risk_declined');
      }
    });

    app.post('/v1/signup/:flowId/resend', {
      schema: { tags: ['identity'], summary: 'Send a sign-up code again', params: flowIdParam, body: resendBody, response: { 202: accepted, ...signupErrors } },
    }, async (req, reply) => {
      refuseIfPaused(opts.switches, 'signups');
      const r = await resendSignupCode(d, flowUuid(req.params.flowId), req.body.channel, clientOf(req));
      if (r.kind !== 'sent') throw commonProblem(r);
      return reply.code(202).send({ status: 'sent' as const });
    });

    app.post('/v1/login', {
      schema: {
        tags: ['identity'], summary: 'Sign in with an e-mail address or phone number and a password',
        description: 'On a remembered device (send `x-konpay-device`) this opens a session. Anywhere else it answers `second_factor_required` with a flow to finish by SMS, TOTP, a recovery code or a passkey. Wrong identifier and wrong password get the same answer.',
        body: loginBody, response: { 200: sessionIssued, 202: secondFactorRequired, ...errors, 428: problemSchema },
      },
    }, async (req, reply) => {
      const r = await login(d, { ...req.body, deviceCredential: deviceCredentialOf(req) }, clientOf(req));
      switch (r.kind) {
        case 'authenticated': return issued(reply, opts.secureCookies, req.body.transport, { ...r, restrictedUntil: null });
        case 'second_factor_required':
          return reply.code(202).send({ status: 'second_factor_required' as const, flowId: toPublicId('flw', r.flowId), methods: r.methods, expiresAt: r.expiresAt.toISOString() });
        case 'invalid_credentials': throw problem(identityErrors, 'invalid_credentials');
        case 'account_frozen': throw problem(identityErrors, 'account_frozen');
        case 'wait': throw problem(identityErrors, 'login_throttled', undefined, retryAfter(r.retryAfterMs));
        case 'proof_of_work_required': throw problem(identityErrors, 'proof_of_work_required');
        case 'risk_declined': throw problem(riskErrors, 'risk_declined');
      }
    });

    app.post('/v1/login/:flowId/sms', {
      schema: { tags: ['identity'], summary: 'Send the login code by SMS to the account\'s verified phone', params: flowIdParam, response: { 202: accepted, ...errors } },
    }, async (req, reply) => {
      const r = await sendLoginSms(d, flowUuid(req.params.flowId), clientOf(req));
      if (r.kind !== 'sent') throw commonProblem(r);
      return reply.code(202).send({ status: 'sent' as const });
    });

    app.post('/v1/login/:flowId/passkey/options', {
      schema: {
        tags: ['identity'], summary: 'Options for finishing a login with one of the account\'s passkeys',
        description: 'Only this account\'s passkeys, user verification required. The challenge belongs to this flow, lasts 5 minutes and answers one attempt; asking again replaces it. 400 `factor_unavailable` when the account has no passkey.',
        params: flowIdParam, response: { 200: passkeyFactorOptions, ...errors },
      },
    }, async (req) => {
      const r = await loginPasskeyOptions(d, flowUuid(req.params.flowId));
      if (r.kind !== 'options') throw commonProblem(r);
      return { expiresAt: r.expiresAt.toISOString(), options: { ...r.options } };
    });

    app.post('/v1/login/:flowId/verify', {
      schema: {
        tags: ['identity'], summary: 'Finish a login on a new device with a second factor',
        description: 'A code (`sms`, `totp`, `recovery_code`) or, with `method: passkey`, the assertion answering POST /v1/login/{flowId}/passkey/options. Wrong codes and refused assertions share a budget of 5 per flow. Remembers the device, and puts the account in restricted mode for 24 hours (no card top-ups, payments up to ¥5,000).',
        params: flowIdParam, body: loginVerifyBody, response: { 200: sessionIssued, ...errors },
      },
    }, async (req, reply) => {
      const r = await completeLogin(d, flowUuid(req.params.flowId), req.body, clientOf(req));
      if (r.kind === 'authenticated') return issued(reply, opts.secureCookies, req.body.transport, r);
      throw commonProblem(r);
    });
  };
}
