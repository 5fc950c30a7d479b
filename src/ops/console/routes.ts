/**
 * The console's API (`/ops/v1/…`), inside the operator plugin: every route needs an
 * operator, and every read of a customer's data and every change is in the action log.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemSchema } from '../../http/problem.js';
import { problem } from '../../shared/errors.js';
import { toPublicId } from '../../shared/ids.js';
import { recordOperatorAction } from '../http/audit.js';
import { OPERATOR_SECURITY, OPERATOR_TAGS, operatorProblems } from '../http/contract.js';
import { customerDetail, findCustomer, freezeCustomer, unfreezeCustomer, type ConsoleDeps } from './customers.js';
import { hourlyDashboard } from './dashboard.js';
import { consoleErrors } from './errors.js';
import { listMerchants } from './repo.js';
import {
  customerDetailSchema, customerParams, dashboardSchema, freezeAnswer, merchantList, reasonBody, searchAnswer, searchBody, unfreezeAnswer,
} from './schemas.js';
import { detailView } from './views.js';

const base = { tags: OPERATOR_TAGS, security: OPERATOR_SECURITY };
const problems = { ...operatorProblems, 404: problemSchema } as const;

export function consoleRoutes(d: ConsoleDeps): FastifyPluginAsyncZod {
  return async (app) => {
    // Customer data must not linger in a shared browser's cache or a proxy.
    app.addHook('onSend', async (_req, reply) => {
      reply.header('cache-control', 'no-store');
    });

    // A POST with the query in the body, not a GET with it in the URL: request lines are
    // logged (and kept by proxies), and a customer's e-mail or phone must not be.
    app.post('/ops/v1/customers/search', {
      schema: { ...base, summary: 'Find a customer by exact e-mail, mobile number or id', body: searchBody, response: { 200: searchAnswer, ...operatorProblems, 400: problemSchema } },
    }, async (req) => {
      const user = await findCustomer(d.pool, req.body.q);
      const id = user ? toPublicId('usr', user.id) : undefined;
      // The query itself is not logged (it is a customer's contact); the customer found is.
      recordOperatorAction(req, 'customer.search', { customerId: id }, user ? 'found' : 'none');
      return { customers: user ? [{ id: id!, email: user.email, phone: user.phone, frozen: !!user.frozen_at, createdAt: user.created_at.toISOString() }] : [] };
    });

    app.get('/ops/v1/customers/:customerId', {
      schema: { ...base, summary: 'A customer: profile, wallet, devices, sessions, security events and movements', params: customerParams, response: { 200: customerDetailSchema, ...problems } },
    }, async (req) => {
      const r = await customerDetail(d, req.params.customerId);
      recordOperatorAction(req, 'customer.view', { customerId: req.params.customerId }, r.kind);
      if (r.kind === 'not_found') throw problem(consoleErrors, 'customer_not_found');
      return detailView(r.detail);
    });

    app.post('/ops/v1/customers/:customerId/freeze', {
      schema: {
        ...base, summary: 'Freeze a customer: nothing moves, every session ends, every device is forgotten; the customer is told',
        params: customerParams, body: reasonBody, response: { 200: freezeAnswer, ...problems, 400: problemSchema },
      },
    }, async (req) => {
      const { customerId } = req.params;
      const r = await freezeCustomer(d, customerId, { reason: req.body.reason, operatorId: req.operator!.id });
      recordOperatorAction(req, 'customer.freeze', { customerId, reason: req.body.reason }, r.kind);
      if (r.kind === 'not_found') throw problem(consoleErrors, 'customer_not_found');
      return { id: customerId, frozen: true as const, sessionsRevoked: r.sessionsRevoked };
    });

    app.post('/ops/v1/customers/:customerId/unfreeze', {
      schema: {
        ...base, summary: 'Lift a freeze (risk or admin): money moves again; the customer is told with a "this wasn\'t me" link',
        params: customerParams, body: reasonBody, response: { 200: unfreezeAnswer, ...problems, 400: problemSchema, 409: problemSchema },
      },
    }, async (req) => {
      const { customerId } = req.params;
      const r = await unfreezeCustomer(d, customerId);
      recordOperatorAction(req, 'customer.unfreeze', { customerId, reason: req.body.reason }, r.kind);
      if (r.kind === 'not_found') throw problem(consoleErrors, 'customer_not_found');
      if (r.kind === 'not_frozen') throw problem(consoleErrors, 'customer_not_frozen');
      return { id: customerId, frozen: false as const };
    });

    app.get('/ops/v1/dashboard', {
      schema: { ...base, summary: 'Payments and declines per hour over the last 24 hours; declines by reason', response: { 200: dashboardSchema, ...operatorProblems } },
    }, async (req) => {
      const r = await hourlyDashboard(d);
      recordOperatorAction(req, 'dashboard.view', {}, 'shown');
      return r;
    });

    app.get('/ops/v1/merchants', {
      schema: { ...base, summary: 'Merchants, by name (the first 500)', response: { 200: merchantList, ...operatorProblems } },
    }, async (req) => {
      const rows = await listMerchants(d.pool, 500);
      recordOperatorAction(req, 'merchant.list', {}, 'shown');
      return { merchants: rows.map((m) => ({ id: toPublicId('mer', m.id), name: m.name, status: m.status, createdAt: m.created_at.toISOString() })) };
    });
  };
}
