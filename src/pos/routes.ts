/**
 * The POS API (PAY-2): every route under `/pos/v1` is signed by a store terminal
 * (docs/pos-api.md).
 *
 * Adding a POS route: write a plugin as usual and pass it to `posRoutes` in server.ts,
 *
 *     posRoutes(posDeps, [cashTopupRoutes(deps), paymentRoutes(deps)])
 *
 * It is registered inside this plugin, so it inherits the raw-body JSON parser and the
 * signature check: its handlers run only for a verified, active terminal, with
 * `req.terminal` set (`{ id, storeId, merchantId, keyId }`, database ids). Give its
 * routes `tags: ['pos']` and `security: POS_SECURITY`, and `posProblems` as the 401/403
 * answers.
 *
 * The check runs at preValidation, before the body schema: an unsigned caller learns
 * nothing about what a valid body looks like.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema } from '../http/problem.js';
import { terminalProfile } from '../merchants/service.js';
import { keepRawJsonBodies, requireTerminal } from './http-auth.js';
import type { PosAuthDeps } from './verify.js';

export const POS_SECURITY = [{ posSignature: [] }];
export const posProblems = { 401: problemSchema, 403: problemSchema } as const;

const terminalSchema = z.object({
  id: z.string().describe('The terminal (`trm_…`)'),
  keyId: z.string().describe('Its public key id, as sent in Konpay-Key-Id'),
  store: z.object({ id: z.string(), name: z.string() }),
  merchant: z.object({ id: z.string(), name: z.string() }),
}).meta({
  id: 'PosTerminal',
  examples: [{
    id: 'trm_019ab5c4e2d07c3a9e51f0b2d4c6a8e5', keyId: 'pk_3f9c2a7e5b1d4c6a8e0f2b4d',
    store: { id: 'sto_019ab5c4e2d07c3a9e51f0b2d4c6a8e4', name: 'Shibuya Dogenzaka' },
    merchant: { id: 'mer_019ab5c4e2d07c3a9e51f0b2d4c6a8e3', name: 'Konbini Mart' },
  }],
});

export function posRoutes(deps: PosAuthDeps, extraRoutes: readonly FastifyPluginAsync[] = []): FastifyPluginAsyncZod {
  return async (app) => {
    keepRawJsonBodies(app);
    app.addHook('preValidation', requireTerminal(deps));

    app.get('/pos/v1/terminal', {
      schema: {
        tags: ['pos'], summary: 'The signing terminal, its store and merchant (terminal sign-in)',
        security: POS_SECURITY,
        response: { 200: terminalSchema, ...posProblems },
      },
    }, async (req) => {
      const found = await terminalProfile(deps.pool, req.terminal!.id);
      // Verified a moment ago and terminals are never deleted: a miss is a bug.
      if (found.kind !== 'found') throw new Error('signed terminal has no row');
      const { kind: _kind, ...profile } = found;
      return profile;
    });

    for (const routes of extraRoutes) await app.register(routes);
  };
}
