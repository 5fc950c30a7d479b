/**
 * The analysts' case API (`/ops/v1/cases`, RISK-2, OPS-3), inside the operator plugin:
 * every role reads; risk and admin take and decide (src/ops/http/roles.ts). Thin over
 * ./queries.ts and ./decide.ts; every read of a case and every decision is in the audit log.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemSchema } from '../http/problem.js';
import { recordOperatorAction } from '../ops/http/audit.js';
import { OPERATOR_SECURITY, OPERATOR_TAGS, operatorProblems } from '../ops/http/contract.js';
import { problem } from '../shared/errors.js';
import { fromPublicId } from '../shared/ids.js';
import { assignToMe, decide } from './decide.js';
import type { CasesDeps } from './deps.js';
import { caseErrors } from './errors.js';
import { caseDetail, caseQueue, monthlyCompensation } from './queries.js';
import {
  caseDetailSchema, caseDetailView, caseList, caseListQuery, caseParams, caseSchema, caseView, decideAnswer, decideBody, monthlyQuery, monthlySchema, monthlyView,
} from './schemas.js';

const base = { tags: OPERATOR_TAGS, security: OPERATOR_SECURITY };
const problems = { ...operatorProblems, 404: problemSchema } as const;

export function caseOpsRoutes(deps: CasesDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('onSend', async (_req, reply) => {
      reply.header('cache-control', 'no-store');
    });

    app.get('/ops/v1/cases', {
      schema: { ...base, summary: 'The case queue: held items, flags and claims, oldest first', querystring: caseListQuery, response: { 200: caseList, ...operatorProblems, 400: problemSchema } },
    }, async (req) => {
      const rows = await caseQueue(deps.pool, { status: req.query.status, kind: req.query.kind, since: undefined, limit: req.query.limit });
      await recordOperatorAction(req, 'case.list', { status: req.query.status, kind: req.query.kind }, 'ok');
      return { cases: rows.map(caseView) };
    });

    app.get('/ops/v1/cases/:caseId', {
      schema: { ...base, summary: 'A case with its evidence, the disputed movements and the customer\'s recent movements', params: caseParams, response: { 200: caseDetailSchema, ...problems } },
    }, async (req) => {
      const d = await caseDetail(deps.pool, fromPublicId('cas', req.params.caseId)!);
      await recordOperatorAction(req, 'case.view', { caseId: req.params.caseId }, d ? 'ok' : 'not_found');
      if (!d) throw problem(caseErrors, 'case_not_found');
      return caseDetailView(d);
    });

    app.post('/ops/v1/cases/:caseId/assign', {
      schema: { ...base, summary: 'Take the case: it is assigned to you', params: caseParams, response: { 200: caseSchema, ...problems, 409: problemSchema } },
    }, async (req) => {
      const r = await assignToMe(deps, fromPublicId('cas', req.params.caseId)!, req.operator!.id);
      await recordOperatorAction(req, 'case.assign', { caseId: req.params.caseId }, r.kind);
      switch (r.kind) {
        case 'assigned': return caseView(r.case);
        case 'not_found': throw problem(caseErrors, 'case_not_found');
        case 'already_decided': throw problem(caseErrors, 'case_already_decided', undefined, { status: r.status });
      }
    });

    app.post('/ops/v1/cases/:caseId/decide', {
      schema: {
        ...base, summary: 'Decide a case once, with a reason; the customer is told the outcome',
        description: 'Approving a hold releases it through its holder\'s handler; rejecting keeps it refused. Approving a claim credits a `compensation` transfer to the wallet (once per claim); above `APPROVAL_COMPENSATION_YEN` it asks a second operator instead (`outcome: approval_requested`) and the case stays open.',
        params: caseParams, body: decideBody, response: { 200: decideAnswer, ...problems, 400: problemSchema, 409: problemSchema },
      },
    }, async (req) => {
      const { caseId } = req.params;
      const r = await decide(deps, { caseId: fromPublicId('cas', caseId)!, decision: req.body.decision, reason: req.body.reason, by: req.operator!.id, amount: req.body.amount });
      await recordOperatorAction(req, `case.${req.body.decision}`, { caseId, approvalId: r.kind === 'approval_requested' ? r.approvalId : undefined }, r.kind);
      switch (r.kind) {
        case 'decided': return { outcome: 'decided' as const, case: caseView(r.case), compensation: r.compensation, approvalId: null };
        case 'approval_requested': return { outcome: 'approval_requested' as const, case: caseView(r.case), compensation: null, approvalId: r.approvalId };
        case 'not_found': throw problem(caseErrors, 'case_not_found');
        case 'already_decided': throw problem(caseErrors, 'case_already_decided', undefined, { status: r.status });
        case 'approval_pending': throw problem(caseErrors, 'case_approval_pending', undefined, { approvalId: r.approvalId });
        case 'decision_invalid': throw problem(caseErrors, 'case_decision_invalid');
        case 'amount_invalid': throw problem(caseErrors, 'compensation_amount_invalid', `At most ¥${r.max}.`, { max: r.max });
      }
    });

    app.get('/ops/v1/compensation/monthly', {
      schema: { ...base, summary: 'Claims per month (Japan time): opened, approved, rejected, yen paid', querystring: monthlyQuery, response: { 200: monthlySchema, ...operatorProblems, 400: problemSchema } },
    }, async (req) => {
      const rows = await monthlyCompensation(deps.pool, deps.clock.now(), req.query.months);
      await recordOperatorAction(req, 'compensation.monthly', {}, 'ok');
      return monthlyView(rows);
    });
  };
}
