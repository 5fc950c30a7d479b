/**
 * `/ops/v1/approvals`: the requests waiting for a second operator, and their decisions.
 * Inside the operator plugin. Any role may call approve and reject (src/ops/http/roles.ts);
 * the service then checks the role against the request's kind, which a route pattern
 * cannot know. Decisions append to the audit chain in their own transaction (./service.ts);
 * the route writes only the log line.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemSchema } from '../../http/problem.js';
import { listOperators } from '../../operators/repo.js';
import type { Queryable } from '../../db/pool.js';
import { problem } from '../../shared/errors.js';
import { toPublicId } from '../../shared/ids.js';
import { logOperatorAction } from '../http/audit.js';
import { OPERATOR_SECURITY, OPERATOR_TAGS, operatorProblems } from '../http/contract.js';
import { approvalErrors } from './errors.js';
import { approvalList, approvalListQuery, approvalParams, approvalSchema, approvalView, approveBody, rejectBody } from './schemas.js';
import { approve, findRequest, listRequests, reject, type ApprovalDeps, type DecisionRefusal } from './service.js';

const base = { tags: OPERATOR_TAGS, security: OPERATOR_SECURITY };
const decisionProblems = { ...operatorProblems, 400: problemSchema, 404: problemSchema, 409: problemSchema, 503: problemSchema } as const;

/** `opr_…` → name, so a list says who asked in words. Operators are a handful of staff. */
export async function operatorNames(q: Queryable): Promise<Map<string, string>> {
  return new Map((await listOperators(q)).map((o) => [toPublicId('opr', o.id), o.name]));
}

function refused(r: DecisionRefusal): never {
  switch (r.kind) {
    case 'not_found': throw problem(approvalErrors, 'approval_not_found');
    case 'not_pending': throw problem(approvalErrors, 'approval_not_pending', undefined, { status: r.request.status });
    case 'expired': throw problem(approvalErrors, 'approval_expired');
    case 'self_approval': throw problem(approvalErrors, 'approval_self');
    case 'role_refused': throw problem(approvalErrors, 'approval_role');
    case 'kind_unavailable': throw problem(approvalErrors, 'approval_kind_unavailable');
  }
}

export function approvalRoutes(d: ApprovalDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('onSend', async (_req, reply) => {
      reply.header('cache-control', 'no-store');
    });

    app.get('/ops/v1/approvals', {
      schema: { ...base, summary: 'Requests for a second operator, newest first (`status=pending` for the queue)', querystring: approvalListQuery, response: { 200: approvalList, ...operatorProblems, 400: problemSchema } },
    }, async (req) => {
      const { status, cursor, limit } = req.query;
      const r = await listRequests(d.pool, { ...(status ? { status } : {}), ...(cursor ? { cursor } : {}), limit, now: d.clock.now() });
      if ('kind' in r) throw problem(approvalErrors, 'approval_bad_cursor');
      const names = await operatorNames(d.pool);
      return { approvals: r.requests.map((a) => approvalView(a, names)), nextCursor: r.nextCursor };
    });

    app.get('/ops/v1/approvals/:approvalId', {
      schema: { ...base, summary: 'One request for a second operator', params: approvalParams, response: { 200: approvalSchema, ...operatorProblems, 404: problemSchema } },
    }, async (req) => {
      const r = await findRequest(d.pool, req.params.approvalId);
      if (!r) throw problem(approvalErrors, 'approval_not_found');
      return approvalView(r, await operatorNames(d.pool));
    });

    app.post('/ops/v1/approvals/:approvalId/approve', {
      schema: {
        ...base, summary: 'Approve, as a second operator: the action is performed now, once',
        description: 'Refused to the requester (`approval_self`) and to roles the kind does not allow (`approval_role`). A decided request answers 409 and nothing is done again.',
        params: approvalParams, body: approveBody, response: { 200: approvalSchema, ...decisionProblems },
      },
    }, async (req) => {
      const o = req.operator!;
      const r = await approve(d, req.params.approvalId, { id: o.id, role: o.role });
      logOperatorAction(req, 'approval.approve', { approvalId: req.params.approvalId }, r.kind);
      if (r.kind !== 'approved') refused(r);
      return approvalView(r.request, await operatorNames(d.pool));
    });

    app.post('/ops/v1/approvals/:approvalId/reject', {
      schema: {
        ...base, summary: 'Reject (or, as its requester, withdraw) a request: nothing is performed',
        params: approvalParams, body: rejectBody, response: { 200: approvalSchema, ...decisionProblems },
      },
    }, async (req) => {
      const o = req.operator!;
      const r = await reject(d, req.params.approvalId, { id: o.id, role: o.role }, req.body.reason);
      logOperatorAction(req, 'approval.reject', { approvalId: req.params.approvalId }, r.kind);
      if (r.kind !== 'rejected') refused(r);
      return approvalView(r.request, await operatorNames(d.pool));
    });
  };
}
