/**
 * The operator API: every route under `/ops/v1` needs an operator (src/ops/http/auth.ts:
 * the machine token or a console session, with CSRF and the role of roles.ts) and records
 * what it did (audit.ts). Only console sign-in (`POST /ops/v1/session`, src/operators/)
 * lives outside this plugin.
 *
 * Adding operator routes: write a plugin and pass it to `operatorRoutes` in server.ts,
 *
 *     operatorRoutes(deps, [webhookOpsRoutes(webhookDeps), riskCaseRoutes(…)])
 *
 * It is registered inside this plugin, so its handlers run only after `requireOperator`
 * set `req.operator`. Give its routes `OPERATOR_TAGS`, `OPERATOR_SECURITY` and
 * `operatorProblems` (./contract.ts), and `await recordOperatorAction(…)` for every
 * change (passing the change's transaction when there is one: ./audit.ts). Console
 * operators may read it with any role and change it only as admins, unless ./roles.ts
 * says otherwise.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { MerchantDeps } from '../../merchants/service.js';
import type { AuditSink } from './audit.js';
import { requireOperator, type OperatorAuthenticator } from './auth.js';
import { merchantOpsRoutes } from './merchant-routes.js';

export { OPERATOR_SECURITY, OPERATOR_TAGS, operatorProblems } from './contract.js';

export interface OperatorApiDeps {
  /** Who is calling: the machine token or a console session (server.ts builds it). */
  authenticate: OperatorAuthenticator;
  merchants: MerchantDeps;
  /** Where every operator action is appended (the hash-chained audit log). */
  audit: AuditSink;
}

export function operatorRoutes(deps: OperatorApiDeps, extraRoutes: readonly FastifyPluginAsync[] = []): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('onRequest', async (req) => {
      req.auditSink = deps.audit;
    });
    app.addHook('onRequest', requireOperator(deps.authenticate));
    await app.register(merchantOpsRoutes(deps.merchants));
    for (const routes of extraRoutes) await app.register(routes);
  };
}
