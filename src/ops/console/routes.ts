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
import { approvalView } from '../approvals/schemas.js';
import { operatorNames } from '../approvals/routes.js';
import { registerApprovalKind } from '../approvals/registry.js';
import { customerDetail, findCustomer, freezeCustomer, type ConsoleDeps } from './customers.js';
import { pendingUnfreeze, requestUnfreeze, unfreezeApprovalKind } from './unfreeze.js';
import { pendingLimitChanges } from './limits.js';
import { hourlyDashboard } from './dashboard.js';
import { consoleErrors } from './errors.js';
import { listMerchants } from './repo.js';
import {
  customerDetailSchema, customerParams, dashboardSchema, freezeAnswer, merchantList, reasonBody, searchAnswer, searchBody, unfreezeAnswer, unfreezeRequested,
} from './schemas.js';
import { detailView } from './views.js';

const base = { tags: OPERATOR_TAGS, security: OPERATOR_SECURITY };
const problems = { ...operatorProblems, 404: problemSchema } as const;

export function consoleRoutes(d: ConsoleDeps): FastifyPluginAsyncZod {
  // Approving an unfreeze lifts it through this server's notifier (./unfreeze.ts).
  registerApprovalKind(unfreezeApprovalKind(d));
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
      await recordOperatorAction(req, 'customer.search', { customerId: id }, user ? 'found' : 'none');
      return { customers: user ? [{ id: id!, email: user.email, phone: user.phone, frozen: !!user.frozen_at, createdAt: user.created_at.toISOString() }] : [] };
    });

    app.get('/ops/v1/customers/:customerId', {
      schema: { ...base, summary: 'A customer: profile, wallet (with their own limits), devices, sessions, security events and movements', params: customerParams, response: { 200: customerDetailSchema, ...problems } },
    }, async (req) => {
      const r = await customerDetail(d, req.params.customerId);
      await recordOperatorAction(req, 'customer.view', { customerId: req.params.customerId }, r.kind);
      if (r.kind === 'not_found') throw problem(consoleErrors, 'customer_not_found');
      const now = d.clock.now();
      const [pending, limitRaises] = await Promise.all([pendingUnfreeze(d.pool, req.params.customerId, now), pendingLimitChanges(d.pool, req.params.customerId, now)]);
      const names = pending || limitRaises.length ? await operatorNames(d.pool) : new Map<string, string>();
      return {
        ...detailView(r.detail),
        pendingUnfreeze: pending ? approvalView(pending, names) : null,
        pendingLimitChanges: limitRaises.map((a) => approvalView(a, names)),
      };
    });

    app.post('/ops/v1/customers/:customerId/freeze', {
      schema: {
        ...base, summary: 'Freeze a customer: nothing moves, every session ends, every device is forgotten; the customer is told',
        params: customerParams, body: reasonBody, response: { 200: freezeAnswer, ...problems, 400: problemSchema },
      },
    }, async (req) => {
      const { customerId } = req.params;
      const ids = { customerId, reason: req.body.reason };
      const r = await freezeCustomer(d, customerId, {
        reason: req.body.reason, operatorId: req.operator!.id, record: (q, outcome) => recordOperatorAction(req, 'customer.freeze', ids, outcome, q),
      });
      if (r.kind === 'not_found') {
        await recordOperatorAction(req, 'customer.freeze', ids, r.kind);
        throw problem(consoleErrors, 'customer_not_found');
      }
      return { id: customerId, frozen: true as const, sessionsRevoked: r.sessionsRevoked };
    });

    app.post('/ops/v1/customers/:customerId/unfreeze', {
      schema: {
        ...base, summary: 'Lift a freeze (risk or admin), or ask a second operator to (202): money moves again; the customer is told with a "this wasn\'t me" link',
        description: 'Unfreezing a wallet holding at least APPROVAL_UNFREEZE_MIN_BALANCE_YEN (default 0: every wallet) needs a second risk or admin operator: the answer is 202 with the request, approved with `POST /ops/v1/approvals/{id}/approve`. Asking again while one waits answers the same request.',
        params: customerParams, body: reasonBody, response: { 200: unfreezeAnswer, 202: unfreezeRequested, ...problems, 400: problemSchema, 409: problemSchema },
      },
    }, async (req, reply) => {
      const { customerId } = req.params;
      const r = await requestUnfreeze(d, customerId, {
        by: req.operator!.id, reason: req.body.reason,
        record: (q, outcome) => recordOperatorAction(req, 'customer.unfreeze', { customerId, reason: req.body.reason }, outcome, q),
      });
      switch (r.kind) {
        case 'not_found': throw problem(consoleErrors, 'customer_not_found');
        case 'not_frozen': throw problem(consoleErrors, 'customer_not_frozen');
        case 'unfrozen': return { id: customerId, frozen: false as const };
        case 'approval_requested':
        case 'already_requested':
          return reply.code(202).send({ id: customerId, frozen: true as const, approval: approvalView(r.request, await operatorNames(d.pool)) });
      }
    });

    app.get('/ops/v1/dashboard', {
      schema: { ...base, summary: 'Payments and declines per hour over the last 24 hours; declines by reason', response: { 200: dashboardSchema, ...operatorProblems } },
    }, async (req) => {
      const r = await hourlyDashboard(d);
      await recordOperatorAction(req, 'dashboard.view', {}, 'shown');
      return r;
    });

    app.get('/ops/v1/merchants', {
      schema: { ...base, summary: 'Merchants, by name (the first 500)', response: { 200: merchantList, ...operatorProblems } },
    }, async (req) => {
      const rows = await listMerchants(d.pool, 500);
      await recordOperatorAction(req, 'merchant.list', {}, 'shown');
      return { merchants: rows.map((m) => ({ id: toPublicId('mer', m.id), name: m.name, status: m.status, createdAt: m.created_at.toISOString() })) };
    });
  };
}
