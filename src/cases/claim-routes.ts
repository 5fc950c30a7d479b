/** The customer's report of unauthorised use (OPS-3): `POST /v1/me/claims`. Thin over ./claims.ts. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemSchema } from '../http/problem.js';
import { requireSession, type AuthDeps } from '../identity/http-auth.js';
import { problem } from '../shared/errors.js';
import { toPublicId } from '../shared/ids.js';
import { fileClaim } from './claims.js';
import type { CasesDeps } from './deps.js';
import { caseErrors } from './errors.js';
import { claimAnswer, claimBody } from './schemas.js';

export function claimRoutes(deps: CasesDeps, auth: AuthDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('preHandler', requireSession(auth));
    app.post('/v1/me/claims', {
      schema: {
        tags: ['wallet'], summary: 'Report movements you did not make', security: [{ bearer: [] }, { cookie: [] }],
        description: 'Payments and top-ups out of your own wallet, each reported once. An analyst looks into it and you are told the outcome; an approved claim is credited to your balance as "Compensation".',
        body: claimBody, response: { 201: claimAnswer, 400: problemSchema, 401: problemSchema, 409: problemSchema },
      },
    }, async (req, reply) => {
      const r = await fileClaim(deps, { userId: req.auth!.user.id, movementIds: req.body.movementIds, description: req.body.description });
      switch (r.kind) {
        case 'opened': return reply.code(201).send({ claimId: toPublicId('cas', r.caseId), status: 'open' as const, amount: r.amount });
        case 'invalid_movements': throw problem(caseErrors, 'claim_movement_invalid', undefined, { movementIds: r.movementIds });
        case 'already_claimed': throw problem(caseErrors, 'claim_movement_already_claimed', undefined, { movementIds: r.movementIds });
      }
    });
  };
}
