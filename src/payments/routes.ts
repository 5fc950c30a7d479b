/** The till's payment endpoints (PAY-2), inside the signed POS plugin. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemBody, problemSchema } from '../http/problem.js';
import { idempotencyKeyOf, sendIdempotent } from '../idempotency/http.js';
import { requestDigest, type Answer, type Idempotency } from '../idempotency/idempotency.js';
import { POS_SECURITY, posProblems } from '../pos/routes.js';
import type { TerminalIdentity } from '../pos/verify.js';
import { problem, type ProblemError } from '../shared/errors.js';
import { fromPublicId } from '../shared/ids.js';
import type { PoolClient } from '../db/pool.js';
import type { BatcherOptions } from '../shared/batcher.js';
import { cancelPayment, refundPayment } from './after-sale.js';
import type { AuthoriseResult } from './authorise.js';
import { paymentBatcher, terminalScope } from './batch.js';
import { DECLINE_REASONS } from './declines.js';
import type { PaymentsDeps } from './deps.js';
import { paymentErrors } from './errors.js';
import { findPayment, findPaymentByOrder, listRefunds, type PaymentRow } from './repo.js';
import { featurePaused } from '../ops/switches/errors.js';
import type { FeatureGate } from '../ops/switches/features.js';
import { authoriseBody, declineSchema, paymentSchema, paymentView, refundBody } from './views.js';

const TAGS = ['pos'];
const params = z.object({ paymentId: z.string().max(40).describe('`pay_…`') });
const idempotencyHeader = z.object({ 'idempotency-key': z.string().max(255).optional().describe('Required. Unique per operation at this terminal; reuse it only to retry') }).loose();

/** `switches`: payments have a kill switch, global or per store (OPS-1). */
export function paymentRoutes(deps: PaymentsDeps, idempotency: Idempotency, batch: BatcherOptions, switches: FeatureGate): FastifyPluginAsyncZod {
  const view = async (q: Pick<PoolClient, 'query'>, p: PaymentRow) => paymentView(p, await listRefunds(q, p.id));
  const refusal = (err: ProblemError, reqId: string): Answer => ({ status: err.status, body: problemBody(err, reqId, deps.publicUrl) });
  const idOf = (raw: string) => fromPublicId('pay', raw);

  /** Runs an operation once per terminal key; refusals are answers too, replayed like successes. */
  const once = (terminal: TerminalIdentity, key: string, route: string, body: unknown, fn: (q: PoolClient) => Promise<Answer>) =>
    idempotency.execute(terminalScope(terminal), key, requestDigest('POST', route, body), fn);

  return async (app) => {
    // Per server instance: the payments that reach this server together share a transaction.
    const batcher = paymentBatcher(deps, idempotency, batch);

    app.post('/pos/v1/payments', {
      schema: {
        tags: TAGS, summary: 'Take a payment: the customer\'s one-time code and the amount', security: POS_SECURITY,
        description: 'Uses the code up and moves the money in one step. Needs an `Idempotency-Key` (per terminal). A decline answers `402 payment_declined` with a `reason` from a closed list (docs/pos-api.md) and takes nothing: the code still works after, say, a top-up. One payment per store order id. While operations have payments switched off (everywhere or at this store): `503 feature_paused`, nothing recorded, the code untouched.',
        headers: idempotencyHeader, body: authoriseBody,
        response: { 201: paymentSchema, 400: problemSchema, ...posProblems, 402: declineSchema, 409: problemSchema, 503: problemSchema },
      },
    }, async (req, reply) => {
      const answer = (out: AuthoriseResult): Answer => {
        // A payment just made has no refunds: no need to ask.
        if (out.kind === 'approved') return { status: 201, body: paymentView(out.payment, []) };
        return refusal(problem(paymentErrors, 'payment_declined', undefined, { reason: out.reason, message: DECLINE_REASONS[out.reason] }), req.id);
      };
      const terminal = req.terminal!;
      const key = idempotencyKeyOf(req);
      const digest = requestDigest('POST', '/pos/v1/payments', req.body);
      // A kill switch is not a decline: declines are about this customer and this payment,
      // are recorded (under the key, and in the declines the console counts) and replayed
      // for the key for 24 hours, so a till retrying once payments resume would be told
      // "declined" again. A pause is Konpay's, temporary and nobody's fault, so it is a
      // 503 `feature_paused` checked before the batch: no key kept, no decline recorded,
      // the code never touched. The key's run still answers a retry of a payment made
      // before the pause with that payment (a till that lost the answer must not charge
      // twice); anything else throws the 503 inside it, which frees the key.
      const paused = switches.paused('payments', terminal.storeId);
      if (paused) {
        return sendIdempotent(reply, await idempotency.execute(terminalScope(terminal), key, digest, () => Promise.reject(featurePaused('payments', paused))));
      }
      const r = await batcher.submit({ terminal, key, digest, input: req.body, answer });
      return sendIdempotent(reply, r);
    });

    app.get('/pos/v1/payments/:paymentId', {
      schema: { tags: TAGS, summary: 'A payment of this store, with its refunds', security: POS_SECURITY, params, response: { 200: paymentSchema, ...posProblems, 404: problemSchema } },
    }, async (req) => {
      const id = idOf(req.params.paymentId);
      const p = id ? await findPayment(deps.pool, id) : undefined;
      if (!p || p.store_id !== req.terminal!.storeId) throw problem(paymentErrors, 'payment_not_found');
      return view(deps.pool, p);
    });

    app.get('/pos/v1/payments', {
      schema: {
        tags: TAGS, summary: 'Find this store\'s payment by its order id (after a lost answer)', security: POS_SECURITY,
        querystring: z.object({ orderId: z.string().min(1).max(64) }), response: { 200: paymentSchema, ...posProblems, 404: problemSchema },
      },
    }, async (req) => {
      const p = await findPaymentByOrder(deps.pool, req.terminal!.storeId, req.query.orderId);
      if (!p) throw problem(paymentErrors, 'payment_not_found');
      return view(deps.pool, p);
    });

    app.post('/pos/v1/payments/:paymentId/cancel', {
      schema: {
        tags: TAGS, summary: 'Cancel a payment on its own JST business day (all of it)', security: POS_SECURITY,
        headers: idempotencyHeader, params, response: { 200: paymentSchema, 400: problemSchema, ...posProblems, 404: problemSchema, 409: problemSchema },
      },
    }, async (req, reply) => {
      const terminal = req.terminal!;
      const route = `/pos/v1/payments/${req.params.paymentId}/cancel`;
      const r = await once(terminal, idempotencyKeyOf(req), route, null, async (q) => {
        const id = idOf(req.params.paymentId);
        const out = id ? await cancelPayment(deps, q, terminal, id) : { kind: 'not_found' as const };
        if (out.kind === 'canceled') return { status: 200, body: await view(q, out.payment) };
        if (out.kind === 'not_found') return refusal(problem(paymentErrors, 'payment_not_found'), req.id);
        return refusal(problem(paymentErrors, 'payment_not_cancelable', undefined, { why: out.why }), req.id);
      });
      return sendIdempotent(reply, r);
    });

    app.post('/pos/v1/payments/:paymentId/refunds', {
      schema: {
        tags: TAGS, summary: 'Refund all or part of a payment (any day)', security: POS_SECURITY,
        headers: idempotencyHeader, params, body: refundBody,
        response: { 201: paymentSchema, 400: problemSchema, ...posProblems, 404: problemSchema, 409: problemSchema },
      },
    }, async (req, reply) => {
      const terminal = req.terminal!;
      const route = `/pos/v1/payments/${req.params.paymentId}/refunds`;
      const r = await once(terminal, idempotencyKeyOf(req), route, req.body, async (q) => {
        const id = idOf(req.params.paymentId);
        const out = id ? await refundPayment(deps, q, terminal, id, req.body) : { kind: 'not_found' as const };
        if (out.kind === 'refunded') return { status: 201, body: await view(q, out.payment) };
        if (out.kind === 'not_found') return refusal(problem(paymentErrors, 'payment_not_found'), req.id);
        return refusal(problem(paymentErrors, 'payment_refund_refused', undefined, { why: out.why, remaining: out.remaining }), req.id);
      });
      return sendIdempotent(reply, r);
    });
  };
}
