/**
 * The card network's webhooks. The signature covers the exact bytes sent, so this plugin
 * reads the body as text and parses it only after the signature checks out.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { verifyWebhook } from '../cards/psp/webhook-verify.js';
import { problemSchema } from '../http/problem.js';
import { problem } from '../shared/errors.js';
import { handleChargeback } from './chargebacks.js';
import type { TopupsDeps } from './deps.js';
import { topupErrors } from './errors.js';

export const SIGNATURE_HEADER = 'cardnet-signature';

const event = z.object({
  id: z.string().min(1).max(100),
  type: z.string().min(1).max(100),
  data: z.object({
    payment: z.object({ reference: z.string().min(1).max(100) }).loose(),
    chargeback: z.object({ amount: z.number().int().positive().max(10_000_000) }).loose().optional(),
  }).loose(),
}).loose();

const ack = z.object({ received: z.literal(true), outcome: z.string() }).meta({ examples: [{ received: true, outcome: 'reversed' }] });

export function cardNetworkWebhookRoutes(deps: TopupsDeps, secret: string): FastifyPluginAsyncZod {
  return async (app) => {
    app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => done(null, body));

    app.post('/v1/webhooks/card-network', {
      schema: {
        tags: ['top-ups'], summary: 'Card network events (chargebacks), signed `t=<unix>,v1=<hex>`',
        description: 'HMAC-SHA256 over `"<t>.<raw body>"` with the shared secret; older than 5 minutes is refused. Events are handled once by id.',
        response: { 200: ack, 400: problemSchema, 401: problemSchema },
      },
    }, async (req) => {
      const raw = typeof req.body === 'string' ? req.body : '';
      const header = req.headers[SIGNATURE_HEADER];
      const check = verifyWebhook(secret, typeof header === 'string' ? header : undefined, raw, deps.clock.now());
      if (check.kind !== 'valid') throw problem(topupErrors, 'webhook_signature_invalid', undefined, { why: check.why });
      let parsed: z.infer<typeof event>;
      try {
        parsed = event.parse(JSON.parse(raw));
      } catch {
        throw problem(topupErrors, 'webhook_malformed');
      }
      if (parsed.type !== 'payment.charged_back' || !parsed.data.chargeback) return { received: true as const, outcome: 'ignored' };
      const r = await handleChargeback(deps, { id: parsed.id, paymentReference: parsed.data.payment.reference, amount: parsed.data.chargeback.amount });
      return { received: true as const, outcome: r.kind };
    });
  };
}
