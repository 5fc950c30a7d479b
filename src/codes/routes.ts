/** The app's side of paying: set the device PIN, unlock, and make a payment code (PAY-1). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema } from '../http/problem.js';
import { identityErrors } from '../identity/errors.js';
import { requirePrivileged, requireSession, type AuthDeps } from '../identity/http-auth.js';
import { problem } from '../shared/errors.js';
import { fromPublicId, toPublicId } from '../shared/ids.js';
import type { CodesDeps } from './deps.js';
import { codesErrors } from './errors.js';
import { issuePaymentCode } from './issue.js';
import { passkeyUnlockOptions, unlockWithPasskey } from './passkey-unlock.js';
import { setPin, unlockWithPin } from './pin.js';
import { paymentCode, setPinBody, unlockBody, unlocked, unlockOptions } from './schemas.js';
import type { UnlockRefusal } from './unlock.js';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 423: problemSchema };
const security: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];
const tags = ['payments'];

function refuse(r: UnlockRefusal): never {
  throw r.kind === 'account_frozen' ? problem(identityErrors, 'account_frozen') : problem(codesErrors, 'device_required');
}

export function codesRoutes(d: CodesDeps, auth: AuthDeps & { privilegedWindowMs: number }): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('preHandler', requireSession(auth));
    // Unlocks and codes are secrets or lead to them: no cache along the way keeps them.
    app.addHook('onSend', async (_req, reply) => {
      reply.header('cache-control', 'no-store');
    });

    app.put('/v1/devices/current/pin', {
      preHandler: requirePrivileged(auth),
      schema: {
        tags, summary: 'Set the app PIN of this device', security, body: setPinBody, response: { 204: z.null(), ...errors },
        description: 'Replaces an earlier PIN and re-enables a disabled one. Needs a privileged session (signed in or re-authenticated within the last 5 minutes) on a remembered device. The customer is notified.',
      },
    }, async (req, reply) => {
      const r = await setPin(d, req.auth!, req.body.pin, req.ip ?? null);
      if (r.kind === 'weak') throw problem(codesErrors, 'pin_weak');
      if (r.kind !== 'set') refuse(r);
      return reply.code(204).send(null);
    });

    app.post('/v1/unlock/passkey/options', {
      schema: {
        tags, summary: 'Start unlocking the app with a passkey', security, response: { 200: unlockOptions, ...errors },
        description: 'Pass `options` to navigator.credentials.get(); the challenge belongs to this session, lasts 5 minutes and answers one attempt.',
      },
    }, async (req) => {
      const r = await passkeyUnlockOptions(d, req.auth!);
      if (r.kind === 'no_passkeys') throw problem(codesErrors, 'no_passkeys');
      if (r.kind !== 'options') refuse(r);
      return { flowId: toPublicId('flw', r.flowId), expiresAt: r.expiresAt.toISOString(), options: { ...r.options } };
    });

    app.post('/v1/unlock', {
      schema: {
        tags, summary: 'Unlock the app with its PIN or a passkey', security, body: unlockBody, response: { 200: unlocked, ...errors },
        description: `Payment codes can be made for ${Math.round(d.policy.unlockWindowMs / 1000)} seconds after. Five wrong PINs in a row disable the PIN on this device (423 \`pin_locked\`) and the customer is told.`,
      },
    }, async (req) => {
      const body = req.body;
      const flowId = body.method === 'passkey' ? fromPublicId('flw', body.flowId) : undefined;
      if (body.method === 'passkey' && !flowId) throw problem(codesErrors, 'unlock_challenge_not_found');
      const r = body.method === 'pin'
        ? await unlockWithPin(d, req.auth!, body.pin, req.ip ?? null)
        : await unlockWithPasskey(d, req.auth!, flowId!, body.response);
      switch (r.kind) {
        case 'unlocked': return { unlockedAt: r.unlockedAt.toISOString(), unlockedUntil: r.unlockedUntil.toISOString() };
        case 'wrong': throw problem(codesErrors, 'pin_wrong', undefined, { remaining: r.remaining });
        case 'locked': throw problem(codesErrors, 'pin_locked');
        case 'not_set': throw problem(codesErrors, 'pin_not_set');
        case 'challenge_not_found': throw problem(codesErrors, 'unlock_challenge_not_found');
        case 'invalid': throw problem(identityErrors, 'passkey_invalid');
        case 'cloned': throw problem(identityErrors, 'passkey_cloned');
        default: return refuse(r);
      }
    });

    app.post('/v1/payment-codes', {
      schema: {
        tags, summary: 'Make a one-time payment code to show at the till', security, response: { 201: paymentCode, ...errors },
        description: 'Needs the app unlocked recently (else 403 `unlock_required`). Each new code makes the earlier codes of this device unusable; a code pays once, within its 5 minutes.',
      },
    }, async (req, reply) => {
      const r = await issuePaymentCode(d, req.auth!);
      if (r.kind === 'unlock_required') throw problem(codesErrors, 'unlock_required', undefined, { windowSeconds: Math.round(r.windowMs / 1000) });
      if (r.kind !== 'issued') refuse(r);
      return reply.code(201).send({ code: r.code, expiresAt: r.expiresAt.toISOString(), refreshAt: r.refreshAt.toISOString(), barcodeSvg: r.barcodeSvg, qrSvg: r.qrSvg });
    });
  };
}
