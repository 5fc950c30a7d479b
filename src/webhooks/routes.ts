/**
 * Operator routes for merchant webhooks (PAY-3), registered inside the operator API
 * (src/ops/http/routes.ts), which authenticates them first.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemSchema } from '../http/problem.js';
import { recordOperatorAction } from '../ops/http/audit.js';
import { OPERATOR_SECURITY, OPERATOR_TAGS, operatorProblems } from '../ops/http/contract.js';
import { operatorErrors } from '../ops/http/errors.js';
import { merchantParams } from '../ops/http/schemas.js';
import { problem } from '../shared/errors.js';
import { listDeliveries } from './delivery-log.js';
import type { WebhookDeps } from './deps.js';
import { addEndpoint, disableEndpoint, listEndpoints, rotateSecret } from './endpoints.js';
import { webhookErrors } from './errors.js';
import { replayEvent } from './replay.js';
import {
  addEndpointBody, rotateSecretBody, secretRotated, deliveriesQuery, deliveryList, deliveryView, endpointAnswer, endpointCreated, endpointList, endpointParams,
  endpointView, eventParams, replayAnswer,
} from './schemas.js';

const base = { tags: OPERATOR_TAGS, security: OPERATOR_SECURITY };
const problems = { ...operatorProblems, 404: problemSchema } as const;
const ENDPOINTS = '/ops/v1/merchants/:merchantId/webhook-endpoints';

export function webhookOpsRoutes(deps: WebhookDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(ENDPOINTS, {
      schema: {
        ...base, summary: 'Add a webhook endpoint; answers its signing secret, this once',
        params: merchantParams, body: addEndpointBody, response: { 201: endpointCreated, ...problems, 422: problemSchema },
      },
    }, async (req, reply) => {
      const { merchantId } = req.params;
      const r = await addEndpoint(deps, { merchantId, url: req.body.url });
      await recordOperatorAction(req, 'webhook_endpoint.add', { merchantId, endpointId: r.kind === 'created' ? r.endpoint.id : undefined }, r.kind);
      if (r.kind === 'not_found') throw problem(operatorErrors, 'merchant_not_found');
      if (r.kind === 'url_refused') throw problem(webhookErrors, 'webhook_url_refused', `The URL ${r.reason}.`);
      return reply.header('cache-control', 'no-store').code(201).send({ ...endpointView(r.endpoint), secret: r.secret });
    });

    app.get(ENDPOINTS, {
      schema: { ...base, summary: 'A merchant\'s webhook endpoints (never their secrets)', params: merchantParams, response: { 200: endpointList, ...problems } },
    }, async (req) => {
      const r = await listEndpoints(deps, req.params.merchantId);
      await recordOperatorAction(req, 'webhook_endpoint.list', { merchantId: req.params.merchantId }, r.kind);
      if (r.kind === 'not_found') throw problem(operatorErrors, 'merchant_not_found');
      return { endpoints: r.endpoints.map(endpointView) };
    });

    app.delete(`${ENDPOINTS}/:endpointId`, {
      schema: {
        ...base, summary: 'Disable a webhook endpoint: nothing more is sent there, queued messages included',
        params: endpointParams, response: { 200: endpointAnswer, ...problems },
      },
    }, async (req) => {
      const { merchantId, endpointId } = req.params;
      const r = await disableEndpoint(deps, { merchantId, endpointId });
      await recordOperatorAction(req, 'webhook_endpoint.disable', { merchantId, endpointId }, r.kind);
      if (r.kind === 'not_found') throw problem(webhookErrors, 'webhook_endpoint_not_found');
      return endpointView(r.endpoint);
    });

    app.post(`${ENDPOINTS}/:endpointId/rotate-secret`, {
      schema: {
        ...base, summary: 'A new signing secret, answered this once; the old one keeps signing beside it for the overlap',
        params: endpointParams, body: rotateSecretBody, response: { 200: secretRotated, ...problems },
      },
    }, async (req, reply) => {
      const { merchantId, endpointId } = req.params;
      const r = await rotateSecret(deps, { merchantId, endpointId, overlapHours: req.body.overlapHours });
      await recordOperatorAction(req, 'webhook_endpoint.rotate_secret', { merchantId, endpointId }, r.kind);
      if (r.kind === 'not_found') throw problem(webhookErrors, 'webhook_endpoint_not_found');
      return reply.header('cache-control', 'no-store').send({ ...endpointView(r.endpoint), secret: r.secret, previousValidUntil: r.previousValidUntil.toISOString() });
    });

    app.get('/ops/v1/merchants/:merchantId/webhook-deliveries', {
      schema: {
        ...base, summary: 'The merchant\'s webhook delivery log, newest first',
        params: merchantParams, querystring: deliveriesQuery, response: { 200: deliveryList, ...problems },
      },
    }, async (req) => {
      const r = await listDeliveries(deps, req.params.merchantId, req.query.limit);
      await recordOperatorAction(req, 'webhook_delivery.list', { merchantId: req.params.merchantId }, r.kind);
      if (r.kind === 'not_found') throw problem(operatorErrors, 'merchant_not_found');
      return { deliveries: r.deliveries.map(deliveryView) };
    });

    app.post('/ops/v1/webhooks/events/:eventId/replay', {
      schema: {
        ...base, summary: 'Send an event again to its merchant\'s active endpoints (same event id, fresh signature)',
        params: eventParams, response: { 202: replayAnswer, ...problems },
      },
    }, async (req, reply) => {
      const { eventId } = req.params;
      const r = await replayEvent(deps, eventId);
      await recordOperatorAction(req, 'webhook_event.replay', { eventId, merchantId: r.kind === 'replayed' ? r.merchantId : undefined }, r.kind);
      if (r.kind === 'not_found') throw problem(webhookErrors, 'webhook_event_not_found');
      return reply.code(202).send({ eventId: r.eventId, merchantId: r.merchantId, endpoints: r.endpoints });
    });
  };
}
