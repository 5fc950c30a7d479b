/** Card top-ups: start (idempotent), follow, confirm after the challenge, cancel. */
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { renderReturnPage } from '../cards/return-page.js';
import { sendHtml } from '../http/html.js';
import { problemBody, problemSchema } from '../http/problem.js';
import { idempotencyKeyOf, sendIdempotent } from '../idempotency/http.js';
import { requestDigest, type Idempotency } from '../idempotency/idempotency.js';
import { identityErrors } from '../identity/errors.js';
import { requireSession, type AuthDeps } from '../identity/http-auth.js';
import { problem, type ProblemError } from '../shared/errors.js';
import { fromPublicId } from '../shared/ids.js';
import { refuseIfPaused } from '../ops/switches/errors.js';
import type { FeatureGate } from '../ops/switches/features.js';
import { advance, cancel } from './advance.js';
import { createTopup, type CreateTopupResult } from './create.js';
import type { TopupsDeps } from './deps.js';
import { topupErrors } from './errors.js';
import { riskErrors } from '../risk/errors.js';
import { findTopup, type TopupRow } from './repo.js';
import { topupReturnPage } from './return-page.js';
import { topupSchema, topupView } from './views.js';

const TAGS = ['top-ups'];
const security: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];
const params = z.object({ topupId: z.string().max(40).describe('`top_…`') });

const createBody = z.object({
  cardId: z.string().max(40).describe('`crd_…` of an active card'),
  amount: z.number().int().positive().max(10_000_000).describe('Integer yen'),
}).meta({ examples: [{ cardId: 'crd_019ab5c4e2d07c3a9e51f0b2d4c6a8e6', amount: 5000 }] });

function refusal(r: Exclude<CreateTopupResult, { kind: 'created' | 'held' }>): ProblemError {
  switch (r.kind) {
    case 'frozen': return problem(identityErrors, 'account_frozen');
    case 'restricted': return problem(topupErrors, 'topup_restricted_mode', undefined, { restrictedUntil: r.until.toISOString() });
    case 'card_not_usable': return problem(topupErrors, 'topup_card_not_usable');
    case 'limit': return problem(topupErrors, 'topup_limit_exceeded', limitDetail(r), { reason: r.reason, limit: r.limit, remaining: r.remaining });
    case 'network_unavailable': return problem(topupErrors, 'topup_network_unavailable');
    case 'step_up_required': return problem(riskErrors, 'step_up_required');
    case 'risk_declined': return problem(riskErrors, 'risk_declined');
  }
}

function limitDetail(r: Extract<CreateTopupResult, { kind: 'limit' }>): string {
  const y = (n: number) => `¥${n.toLocaleString('en-US')}`;
  switch (r.reason) {
    case 'below_minimum': return `A card top-up is at least ${y(r.limit)}.`;
    case 'above_maximum': return `A card top-up is at most ${y(r.limit)}.`;
    case 'daily_limit': return `Card top-ups are limited to ${y(r.limit)} in 24 hours; ${y(r.remaining)} remains.`;
    case 'monthly_limit': return `Card top-ups are limited to ${y(r.limit)} in 30 days; ${y(r.remaining)} remains.`;
    case 'balance_limit': return `A wallet holds at most ${y(r.limit)}; there is room for ${y(r.remaining)}.`;
    default: return `This top-up is over a limit (${r.reason}).`;
  }
}

/** `switches`: card top-ups have a kill switch (OPS-1); a paused top-up answers 503 `feature_paused`. */
export function topupRoutes(deps: TopupsDeps, auth: AuthDeps, idempotency: Idempotency, switches: FeatureGate): FastifyPluginAsyncZod {
  const own = async (raw: string, userId: string | undefined): Promise<TopupRow> => {
    const id = fromPublicId('top', raw);
    const t = id ? await findTopup(deps.pool, id) : undefined;
    if (!t || (userId !== undefined && t.user_id !== userId)) throw problem(topupErrors, 'topup_not_found');
    return t;
  };

  return async (app) => {
    // The issuer's challenge page sends the browser back here, without our session.
    app.get('/v1/topups/:topupId/3ds-return', {
      schema: {
        tags: TAGS, summary: 'Where the issuer\'s challenge page returns the browser after a top-up challenge',
        description: 'Asks the card network how the challenge went (query parameters are ignored), charges the card if it passed and shows a short page.',
        params, response: { 200: z.string().meta({ description: 'An HTML page', examples: ['<!doctype html><html lang="ja">…<h1>￥5,000をチャージしました</h1>…</html>'] }) },
      },
    }, async (req, reply) => {
      const t = await own(req.params.topupId, undefined);
      const r = await advance(deps, t.id);
      reply.header('cache-control', 'no-store');
      return sendHtml(reply, renderReturnPage(topupReturnPage(r.kind === 'ok' ? r.topup : { ...t, status: 'failed' })));
    });

    app.register(async (plugin) => {
      const authed = plugin.withTypeProvider<ZodTypeProvider>();
      authed.addHook('preHandler', requireSession(auth));

      authed.post('/v1/topups', {
        schema: {
          tags: TAGS, summary: 'Top up from a card (every top-up passes the issuer\'s 3-D Secure challenge)', security,
          description: 'Needs an `Idempotency-Key` header: a retry with the same key and body answers the first result. Limits are checked with in-flight top-ups counted; restricted mode and frozen accounts refuse card top-ups. While operations have card top-ups switched off: `503 feature_paused`, nothing charged, the key free for a retry later.',
          headers: z.object({ 'idempotency-key': z.string().max(255).optional().describe('Required. Unique per top-up; reuse it only to retry') }).loose(),
          body: createBody,
          response: { 201: topupSchema, 202: topupSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema, 409: problemSchema, 422: problemSchema, 423: problemSchema, 503: problemSchema },
        },
      }, async (req, reply) => {
        const userId = req.auth!.user.id;
        const key = idempotencyKeyOf(req);
        const cardId = fromPublicId('crd', req.body.cardId);
        const r = await idempotency.execute(`topup:${userId}`, key, requestDigest('POST', '/v1/topups', req.body), async (q) => {
          // Inside the key's run, so a retry of a top-up answered before the pause still
          // gets its answer; thrown, so nothing is kept and the key is free once resumed.
          refuseIfPaused(switches, 'card_topups');
          const client = { deviceId: req.auth!.session.device_id, ip: req.ip, secondFactorAt: req.auth!.session.second_factor_at };
          const out = cardId ? await createTopup(deps, q, userId, { cardId, amount: req.body.amount }, client) : { kind: 'card_not_usable' as const };
          if (out.kind === 'created') return { status: 201, body: topupView(out.topup) };
          // Held for review: accepted, not charged (`held: true`); the customer is told when it is decided.
          if (out.kind === 'held') return { status: 202, body: topupView(out.topup) };
          const err = refusal(out);
          // Nothing may be kept when the network was not asked: roll back, free the key.
          // A step-up too: the same key must work once the customer has re-authenticated.
          if (out.kind === 'network_unavailable' || out.kind === 'step_up_required') throw err;
          return { status: err.status, body: problemBody(err, req.id, deps.publicUrl) };
        });
        return sendIdempotent(reply, r);
      });

      authed.get('/v1/topups/:topupId', {
        schema: { tags: TAGS, summary: 'A top-up as it stands', security, params, response: { 200: topupSchema, 401: problemSchema, 404: problemSchema } },
      }, async (req) => topupView(await own(req.params.topupId, req.auth!.user.id)));

      authed.post('/v1/topups/:topupId/confirm', {
        schema: {
          tags: TAGS, summary: 'Carry on after the challenge (the app\'s alternative to the return page)', security,
          description: 'Safe to repeat: answers the top-up as it now stands.',
          params, response: { 200: topupSchema, 401: problemSchema, 404: problemSchema },
        },
      }, async (req) => {
        const t = await own(req.params.topupId, req.auth!.user.id);
        const r = await advance(deps, t.id);
        return topupView(r.kind === 'ok' ? r.topup : t);
      });

      authed.post('/v1/topups/:topupId/cancel', {
        schema: {
          tags: TAGS, summary: 'Cancel a top-up still waiting for its challenge', security,
          params, response: { 200: topupSchema, 401: problemSchema, 404: problemSchema, 409: problemSchema },
        },
      }, async (req) => {
        const t = await own(req.params.topupId, req.auth!.user.id);
        if (t.status !== 'requires_action') throw problem(topupErrors, 'topup_not_cancelable');
        const after = await cancel(deps, t.id, 'canceled_by_customer');
        if (after.status !== 'canceled') throw problem(topupErrors, 'topup_not_cancelable');
        return topupView(after);
      });
    });
  };
}
