/** Web Push subscriptions of the signed-in customer's devices, for security and payment notices. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema } from '../../http/problem.js';
import { newUuid } from '../../shared/ids.js';
import type { IdentityDeps } from '../deps.js';
import { requireSession, type AuthDeps } from '../http-auth.js';
import { deletePushSubscription, upsertPushSubscription } from '../repo/events.js';

const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/).max(200);

/** The browser's PushSubscription.toJSON(); push services are always HTTPS. */
const subscription = z.object({
  endpoint: z.url({ protocol: /^https$/ }).max(1024),
  keys: z.object({ p256dh: base64url, auth: base64url }).strict(),
}).strict().meta({ examples: [{ endpoint: 'https://push.example.net/wpush/v2/gAAAAA…', keys: { p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM', auth: 'tBHItJI5svbpez7KI4CCXg' } }] });

export function pushRoutes(d: IdentityDeps, auth: AuthDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('preHandler', requireSession(auth));
    const security: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];

    app.post('/v1/me/push-subscriptions', {
      schema: {
        tags: ['account'], summary: 'Receive notices on this device by Web Push', security,
        body: subscription, response: { 204: z.null(), 400: problemSchema, 401: problemSchema, 403: problemSchema },
      },
    }, async (req, reply) => {
      await upsertPushSubscription(d.pool, { id: newUuid(), userId: req.auth!.user.id, endpoint: req.body.endpoint, p256dh: req.body.keys.p256dh, auth: req.body.keys.auth, now: d.clock.now() });
      return reply.code(204).send(null);
    });

    app.delete('/v1/me/push-subscriptions', {
      schema: {
        tags: ['account'], summary: 'Stop Web Push notices to one endpoint', security,
        body: z.object({ endpoint: z.string().max(1024) }).strict().meta({ examples: [{ endpoint: 'https://push.example.net/wpush/v2/gAAAAA…' }] }),
        response: { 204: z.null(), 401: problemSchema, 403: problemSchema },
      },
    }, async (req, reply) => {
      await deletePushSubscription(d.pool, req.auth!.user.id, req.body.endpoint);
      return reply.code(204).send(null);
    });
  };
}
