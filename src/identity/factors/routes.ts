/**
 * The customer's second factors: list, set up, remove. Every change needs a privileged
 * session (ID-8: signed in or re-authenticated within the last 5 minutes), so a stolen
 * session token alone cannot swap in the thief's own authenticator.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema } from '../../http/problem.js';
import { problem } from '../../shared/errors.js';
import { toPublicId } from '../../shared/ids.js';
import { identityErrors } from '../errors.js';
import { requirePrivileged, requireSession, type AuthDeps } from '../http-auth.js';
import type { Actor, FactorDeps } from './deps.js';
import { factorsOverview } from './overview.js';
import { passkeyRegistrationOptions, registerPasskey, removePasskey } from './passkeys.js';
import { issueRecoveryCodes } from './recovery-codes.js';
import type { PasskeyRow } from './repo.js';
import {
  factorsView, passkeyIdParam, passkeyRegisterBody, passkeyRegistrationOptions as optionsSchema, passkeyView, recoveryCodesIssued, totpConfirmBody, totpEnabled, totpEnrolled,
} from './schemas.js';
import { confirmTotp, disableTotp, enrolTotp } from './totp.js';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };
const security: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];
const privilegedNote = 'Needs a privileged session: signed in or re-authenticated within the last 5 minutes (else 403 `reauthentication_required`). The customer is notified by e-mail and push.';

function actorOf(req: FastifyRequest): Actor {
  const { user, session } = req.auth!;
  return { user, deviceId: session.device_id, ip: req.ip ?? null };
}

/** Secrets shown once must not linger in caches along the way. */
function noStore(reply: FastifyReply): void {
  reply.header('cache-control', 'no-store');
}

function passkeyOut(p: PasskeyRow) {
  return { id: p.id, label: p.label, deviceType: p.device_type, backedUp: p.backed_up, createdAt: p.created_at.toISOString(), lastUsedAt: p.last_used_at?.toISOString() ?? null };
}

export function factorRoutes(d: FactorDeps, auth: AuthDeps & { privilegedWindowMs: number }): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('preHandler', requireSession(auth));
    const privileged = requirePrivileged(auth);
    const tags = ['account'];

    app.get('/v1/me/factors', { schema: { tags, summary: 'Your second factors', security, response: { 200: factorsView, ...errors } } }, async (req) => {
      const o = await factorsOverview(d.pool, req.auth!.user.id);
      return {
        totp: { status: o.totp.status, confirmedAt: o.totp.confirmedAt?.toISOString() ?? null },
        recoveryCodes: { remaining: o.recoveryCodes.remaining, createdAt: o.recoveryCodes.createdAt?.toISOString() ?? null },
        passkeys: o.passkeys.map(passkeyOut),
      };
    });

    app.post('/v1/me/factors/totp', {
      preHandler: privileged,
      schema: { tags, summary: 'Start setting up an authenticator app (TOTP)', description: `Answers a new secret, unconfirmed until POST /v1/me/factors/totp/confirm. ${privilegedNote}`, security, response: { 201: totpEnrolled, ...errors } },
    }, async (req, reply) => {
      const r = await enrolTotp(d, actorOf(req));
      if (r.kind === 'already_enabled') throw problem(identityErrors, 'totp_already_enabled');
      noStore(reply);
      return reply.code(201).send({ secret: r.secret, otpauthUri: r.uri, next: 'POST /v1/me/factors/totp/confirm with a code from the app' });
    });

    app.post('/v1/me/factors/totp/confirm', {
      preHandler: privileged,
      schema: { tags, summary: 'Confirm the authenticator app with a code from it', description: privilegedNote, security, body: totpConfirmBody, response: { 200: totpEnabled, ...errors } },
    }, async (req) => {
      const r = await confirmTotp(d, actorOf(req), req.body.code);
      switch (r.kind) {
        case 'confirmed': return { status: 'enabled' as const };
        case 'wrong': throw problem(identityErrors, 'code_wrong', 'That is not the code the app shows now.');
        case 'not_enrolled': throw problem(identityErrors, 'totp_not_enrolled');
        case 'already_enabled': throw problem(identityErrors, 'totp_already_enabled');
      }
    });

    app.delete('/v1/me/factors/totp', {
      preHandler: privileged,
      schema: { tags, summary: 'Remove the authenticator app', description: privilegedNote, security, response: { 204: z.null(), ...errors } },
    }, async (req, reply) => {
      if ((await disableTotp(d, actorOf(req))).kind === 'not_found') throw problem(identityErrors, 'factor_not_found');
      return reply.code(204).send(null);
    });

    app.post('/v1/me/factors/recovery-codes', {
      preHandler: privileged,
      schema: { tags, summary: 'Make ten new recovery codes', description: `Shown once; the earlier set stops working. Each code signs in once on a new device, case and hyphens aside. ${privilegedNote}`, security, response: { 201: recoveryCodesIssued, ...errors } },
    }, async (req, reply) => {
      const r = await issueRecoveryCodes(d, actorOf(req));
      noStore(reply);
      return reply.code(201).send({ codes: r.codes, createdAt: r.createdAt.toISOString() });
    });

    app.post('/v1/me/factors/passkeys/options', {
      preHandler: privileged,
      schema: { tags, summary: 'Options to create a passkey', description: `Pass \`options\` to navigator.credentials.create(); the challenge lasts 5 minutes and answers one attempt. ${privilegedNote}`, security, response: { 200: optionsSchema, ...errors } },
    }, async (req) => {
      const r = await passkeyRegistrationOptions(d, actorOf(req));
      return { flowId: toPublicId('flw', r.flowId), expiresAt: r.expiresAt.toISOString(), options: { ...r.options } };
    });

    app.post('/v1/me/factors/passkeys', {
      preHandler: privileged,
      schema: { tags, summary: 'Register a passkey', description: `The response of navigator.credentials.create() for the latest options. ${privilegedNote}`, security, body: passkeyRegisterBody, response: { 201: passkeyView, ...errors } },
    }, async (req, reply) => {
      const r = await registerPasskey(d, actorOf(req), req.body.response, req.body.label);
      switch (r.kind) {
        case 'registered': return reply.code(201).send(passkeyOut(r.passkey));
        case 'invalid': throw problem(identityErrors, 'passkey_invalid');
        case 'flow_not_found': throw problem(identityErrors, 'flow_not_found', 'No live passkey challenge matches this response: ask for new options.');
        case 'already_registered': throw problem(identityErrors, 'passkey_exists');
      }
    });

    app.delete('/v1/me/factors/passkeys/:passkeyId', {
      preHandler: privileged,
      schema: { tags, summary: 'Remove a passkey', description: privilegedNote, security, params: passkeyIdParam, response: { 204: z.null(), ...errors } },
    }, async (req, reply) => {
      if ((await removePasskey(d, actorOf(req), req.params.passkeyId)).kind === 'not_found') throw problem(identityErrors, 'factor_not_found');
      return reply.code(204).send(null);
    });
  };
}
