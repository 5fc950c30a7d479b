/**
 * `PUT /ops/v1/customers/{id}/limits` (risk or admin, src/ops/http/roles.ts): a
 * customer's own limits. Thin: ./limits.ts decides whether the change applies at once
 * or waits for a second operator, and appends the audit row in its transaction.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemSchema } from '../../http/problem.js';
import { problem } from '../../shared/errors.js';
import { OVERRIDABLE } from '../../wallet/overrides.js';
import { recordOperatorAction } from '../http/audit.js';
import { OPERATOR_SECURITY, OPERATOR_TAGS, operatorProblems } from '../http/contract.js';
import { registerApprovalKind } from '../approvals/registry.js';
import { approvalView } from '../approvals/schemas.js';
import { operatorNames } from '../approvals/routes.js';
import type { ConsoleDeps } from './customers.js';
import { consoleErrors } from './errors.js';
import { changeCustomerLimits, limitsApprovalKind } from './limits.js';
import { limitsAnswer, limitsBody, limitsRequested } from './limits-schemas.js';
import { customerParams } from './schemas.js';

export function customerLimitRoutes(d: ConsoleDeps): FastifyPluginAsyncZod {
  // Approving a raise applies it through this server's notifier (./limits.ts).
  registerApprovalKind(limitsApprovalKind(d));
  return async (app) => {
    app.addHook('onSend', async (_req, reply) => {
      reply.header('cache-control', 'no-store');
    });

    app.put('/ops/v1/customers/:customerId/limits', {
      schema: {
        tags: OPERATOR_TAGS, security: OPERATOR_SECURITY,
        summary: "Change a customer's own limits (risk or admin); a raise above the default waits for a second operator (202)",
        description: 'Card top-ups per 24 h and per 30 days, the balance maximum and payments per 24 h, in yen; null returns one to the configured default. Lowering applies at once. A change taking any limit more than APPROVAL_LIMIT_RAISE_YEN (default 0) above its default answers 202 with a request that a second risk or admin operator approves with `POST /ops/v1/approvals/{id}/approve`. The customer is told of every change.',
        params: customerParams, body: limitsBody,
        response: { 200: limitsAnswer, 202: limitsRequested, ...operatorProblems, 400: problemSchema, 404: problemSchema },
      },
    }, async (req, reply) => {
      const { customerId } = req.params;
      const { reason, ...values } = req.body;
      const changes = Object.fromEntries(OVERRIDABLE.filter((k) => values[k] !== undefined).map((k) => [k, values[k]]));
      if (Object.keys(changes).length === 0) throw problem(consoleErrors, 'limits_none_named');
      const r = await changeCustomerLimits(d, customerId, {
        by: req.operator!.id, reason, changes,
        record: (q, outcome, change) => recordOperatorAction(req, 'customer.limits', { customerId, reason, change: change || undefined }, outcome, q),
      });
      switch (r.kind) {
        case 'not_found': throw problem(consoleErrors, 'customer_not_found');
        case 'changed':
        case 'unchanged':
          return { id: customerId, changed: r.kind === 'changed', limits: r.limits, override: r.override };
        case 'approval_requested':
          return reply.code(202).send({ id: customerId, approval: approvalView(r.request, await operatorNames(d.pool)) });
      }
    });
  };
}
