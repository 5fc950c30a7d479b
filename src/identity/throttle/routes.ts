/**
 * GET /v1/login/challenge: a proof-of-work challenge, for logins while the breaker is on.
 * Anyone may ask, and each costs a key derivation: a budget per address (address-limit.ts).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema } from '../../http/problem.js';
import type { Clock } from '../../shared/clock.js';
import { problem } from '../../shared/errors.js';
import { identityErrors } from '../errors.js';
import { clientOf } from '../http-auth.js';
import { retryAfter } from '../problems.js';
import type { AddressLimit } from './address-limit.js';
import type { ProofOfWork } from './pow.js';

const challengeSchema = z.object({
  parameters: z.object({
    algorithm: z.string(),
    nonce: z.string(),
    salt: z.string(),
    cost: z.number().int(),
    keyLength: z.number().int(),
    keyPrefix: z.string(),
    keySignature: z.string().optional(),
    memoryCost: z.number().int().optional(),
    parallelism: z.number().int().optional(),
    expiresAt: z.number().optional(),
    data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  }),
  signature: z.string().optional(),
}).describe('An ALTCHA v2 challenge. Solve it (altcha widget or `solveChallenge` of altcha-lib) and send base64(JSON {challenge, solution}) as `proofOfWork` with the login.')
  .meta({
    id: 'ProofOfWorkChallenge',
    examples: [{
      parameters: {
        algorithm: 'PBKDF2/SHA-256', nonce: '5f2c0e9a1b7d4c3e8a6f0b2d4e6a8c01', salt: '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b',
        cost: 5000, keyLength: 32, keyPrefix: '3fa9c1d27b5e8a04c6d2e1f09b8a7c65',
        keySignature: '0c5e1f6a9d2b7c4e8f3a1d6b9c2e5f8a0d3b6c9e2f5a8d1b4c7e0f3a6d9b2c5e',
        data: { exp: 1767571500000 },
      },
      signature: 'a1f4c7e0d3b6a9c2f5e8d1b4a7c0f3e6d9b2a5c8f1e4d7b0a3c6f9e2d5b8a1c4',
    }],
  });

export function challengeRoutes(o: { pow: ProofOfWork; limit: AddressLimit }, clock: Clock): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/v1/login/challenge', {
      schema: {
        tags: ['identity'], summary: 'Get a proof-of-work challenge for signing in',
        description: 'Needed only after a login answered `428 proof_of_work_required` (many sign-ins are failing across the service). Each solution works once and expires after a few minutes. Devices that signed in before are never asked. 429 `challenge_limit` (with `Retry-After`) past LOGIN_CHALLENGES_PER_IP_PER_MINUTE from one address.',
        response: { 200: challengeSchema, 429: problemSchema },
      },
    }, async (req, reply) => {
      const now = clock.now();
      const r = await o.limit.take(clientOf(req).ip, now);
      if (r.kind === 'wait') throw problem(identityErrors, 'challenge_limit', undefined, retryAfter(r.retryAfterMs));
      // Never cached: each challenge is single use.
      reply.header('cache-control', 'no-store');
      return o.pow.challenge(now);
    });
  };
}
