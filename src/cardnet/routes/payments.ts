/** Payments: authorise, read back, capture, void, refund. */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { problem } from '../../shared/errors.js';
import type { CardnetDeps } from '../deps.js';
import { cardnetErrors } from '../errors.js';
import { operate, type OperationInput, type OperationResult } from '../operations.js';
import { authorise, getPayment } from '../payments.js';
import { authoriseRequest, captureRequest, paymentAnswer, paymentParams, refundRequest, voidRequest } from '../schemas.js';

const TAGS = ['cardnet: payments'];

function answer(r: OperationResult) {
  switch (r.kind) {
    case 'ok': return r.payment;
    case 'payment_not_found': throw problem(cardnetErrors, 'payment_not_found');
    case 'reference_reused': throw problem(cardnetErrors, 'reference_reused');
    case 'invalid_state': throw problem(cardnetErrors, 'invalid_state', `The payment is ${r.status}.`, { paymentStatus: r.status });
    case 'amount_too_large': throw problem(cardnetErrors, 'amount_too_large', `At most ¥${r.max} is allowed.`, { max: r.max });
  }
}

export function paymentRoutes(deps: CardnetDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.post('/cardnet/v1/payments', {
      schema: {
        summary: 'Authorise a payment (needs a completed 3-D Secure authentication for this card and amount)',
        tags: TAGS, body: authoriseRequest, response: { 200: paymentAnswer, 201: paymentAnswer },
      },
    }, async (req, reply) => {
      const r = await authorise(deps, req.body);
      if (r.kind === 'token_not_found') throw problem(cardnetErrors, 'token_not_found');
      if (r.kind === 'authentication_required') throw problem(cardnetErrors, 'authentication_required', r.why);
      if (r.kind === 'reference_reused') throw problem(cardnetErrors, 'reference_reused');
      if (r.profile === 'network_timeout' && !r.replayed) {
        // The timeout test card: the authorisation is done and committed, but the answer
        // arrives after any sensible client timeout, so the caller must read it back.
        await new Promise((resolve) => setTimeout(resolve, deps.timeoutDelayMs));
      }
      return reply.code(r.replayed ? 200 : 201).send(r.payment);
    });

    app.get('/cardnet/v1/payments/:reference', {
      schema: { summary: 'Read a payment by the caller’s reference (reconciliation after a timeout)', tags: TAGS, params: paymentParams, response: { 200: paymentAnswer } },
    }, async (req) => {
      const p = await getPayment(deps, req.params.reference);
      if (!p) throw problem(cardnetErrors, 'payment_not_found');
      return p;
    });

    const op = (kind: OperationInput['kind'], paymentReference: string, body: { reference: string; amount?: number | undefined }) =>
      operate(deps, { kind, reference: body.reference, paymentReference, amount: body.amount }).then(answer);

    app.post('/cardnet/v1/payments/:reference/capture', {
      schema: { summary: 'Capture an authorised payment (all or part)', tags: TAGS, params: paymentParams, body: captureRequest, response: { 200: paymentAnswer } },
    }, async (req) => op('capture', req.params.reference, req.body));

    app.post('/cardnet/v1/payments/:reference/void', {
      schema: { summary: 'Void an authorised, uncaptured payment', tags: TAGS, params: paymentParams, body: voidRequest, response: { 200: paymentAnswer } },
    }, async (req) => op('void', req.params.reference, req.body));

    app.post('/cardnet/v1/payments/:reference/refund', {
      schema: { summary: 'Refund part or all of a captured payment', tags: TAGS, params: paymentParams, body: refundRequest, response: { 200: paymentAnswer } },
    }, async (req) => op('refund', req.params.reference, req.body));
  };
}
