/**
 * Operator routes for kill switches (OPS-1), registered inside the operator plugin
 * (src/ops/http/routes.ts), so `requireOperator` has run. Thin over ./service.ts.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemSchema } from '../../http/problem.js';
import { problem } from '../../shared/errors.js';
import { recordOperatorAction } from '../http/audit.js';
import { OPERATOR_SECURITY, OPERATOR_TAGS, operatorProblems } from '../http/contract.js';
import { operatorErrors } from '../http/errors.js';
import { switchErrors } from './errors.js';
import { changeSwitchBody, switchesAnswer, switchesQuery, switchSchema, switchesView, switchView } from './schemas.js';
import { changeSwitch, switchOverview, type SwitchDeps } from './service.js';

export function switchOpsRoutes(deps: SwitchDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/ops/v1/switches', {
      schema: {
        tags: OPERATOR_TAGS, security: OPERATOR_SECURITY, summary: 'Kill switches: what is off, for whom, and every change',
        querystring: switchesQuery, response: { 200: switchesAnswer, ...operatorProblems },
      },
    }, async (req) => {
      const overview = await switchOverview(deps, req.query.historyLimit);
      await recordOperatorAction(req, 'switch.view', {}, 'ok');
      return switchesView(overview);
    });

    app.put('/ops/v1/switches', {
      schema: {
        tags: OPERATOR_TAGS, security: OPERATOR_SECURITY,
        summary: 'Switch a feature off or on, for every store or one',
        description: 'Every Konpay server obeys within 2 seconds (the one answering, at once). Refusals while off are `503 feature_paused`. Each change is recorded with who, when and why.',
        body: changeSwitchBody, response: { 200: switchSchema, ...operatorProblems, 400: problemSchema, 404: problemSchema },
      },
    }, async (req) => {
      const { feature, storeId, off, reason } = req.body;
      const action = off ? 'switch.off' : 'switch.on';
      const ids = { feature, storeId: storeId ?? undefined };
      const r = await changeSwitch(deps, { feature, storeId, off, reason, by: req.operator!.id, record: (q, outcome) => recordOperatorAction(req, action, ids, outcome, q) });
      // A change was recorded in its transaction; a refusal is recorded here.
      if (r.kind !== 'changed') await recordOperatorAction(req, action, ids, r.kind);
      switch (r.kind) {
        case 'changed': return switchView(r.state);
        case 'store_not_found': throw problem(operatorErrors, 'store_not_found');
        case 'not_store_scoped': throw problem(switchErrors, 'switch_not_store_scoped');
        case 'reason_required': throw problem(switchErrors, 'switch_reason_required');
      }
    });
  };
}
