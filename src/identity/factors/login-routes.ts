/** Signing in with a passkey: options, then the signed response; answers as password login does. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemSchema } from '../../http/problem.js';
import { problem } from '../../shared/errors.js';
import { fromPublicId, toPublicId } from '../../shared/ids.js';
import { riskErrors } from '../../risk/errors.js';
import { identityErrors } from '../errors.js';
import { clientOf, deviceCredentialOf } from '../http-auth.js';
import { issued } from '../routes/auth.js';
import { sessionIssued } from '../schemas.js';
import type { FactorDeps } from './deps.js';
import { completePasskeyLogin, passkeyLoginOptions } from './passkey-login.js';
import { passkeyLoginOptions as optionsSchema, passkeyLoginOptionsBody, passkeyLoginVerifyBody } from './schemas.js';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 423: problemSchema };

export function passkeyLoginRoutes(d: FactorDeps, opts: { secureCookies: boolean }): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/v1/login/passkey/options', {
      schema: {
        tags: ['identity'], summary: 'Start signing in with a passkey',
        description: 'Without `identifier` the sign-in is usernameless: the authenticator offers its passkeys for Konpay. The challenge lasts 5 minutes and answers one attempt.',
        body: passkeyLoginOptionsBody, response: { 200: optionsSchema, ...errors },
      },
    }, async (req) => {
      const r = await passkeyLoginOptions(d, req.body.identifier);
      return { flowId: toPublicId('flw', r.flowId), expiresAt: r.expiresAt.toISOString(), options: { ...r.options } };
    });

    app.post('/v1/login/passkey/verify', {
      schema: {
        tags: ['identity'], summary: 'Finish signing in with a passkey',
        description: 'A passkey is both factors at once. A new device is remembered (device credential) and reported to the customer, but not put in restricted mode: a passkey cannot be phished. 403 `risk_declined` when Konpay\'s security checks refuse the sign-in.',
        body: passkeyLoginVerifyBody, response: { 200: sessionIssued, ...errors },
      },
    }, async (req, reply) => {
      const flowId = fromPublicId('flw', req.body.flowId);
      if (!flowId) throw problem(identityErrors, 'flow_not_found');
      const r = await completePasskeyLogin(d, flowId, { ...req.body, deviceCredential: deviceCredentialOf(req) }, clientOf(req));
      switch (r.kind) {
        case 'authenticated': return issued(reply, opts.secureCookies, req.body.transport, r);
        case 'flow_not_found': throw problem(identityErrors, 'flow_not_found');
        case 'invalid': throw problem(identityErrors, 'passkey_invalid');
        case 'cloned': throw problem(identityErrors, 'passkey_cloned');
        case 'account_frozen': throw problem(identityErrors, 'account_frozen');
        case 'risk_declined': throw problem(riskErrors, 'risk_declined');
      }
    });
  };
}
