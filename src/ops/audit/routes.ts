/**
 * `/ops/v1/audit`: the audit log, newest first, and a check of its chain (admins only,
 * src/ops/http/roles.ts). Reading the log is not itself appended to it: the console
 * page would otherwise grow the chain at every refresh, and who read it is in the
 * request log.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { problemSchema } from '../../http/problem.js';
import { OPERATOR_SECURITY, OPERATOR_TAGS, operatorProblems } from '../http/contract.js';
import { recordsBefore } from './repo.js';
import { auditList, auditListQuery, chainStatus } from './schemas.js';
import { verifyChain } from './verify.js';

const base = { tags: OPERATOR_TAGS, security: OPERATOR_SECURITY };

export function auditRoutes(d: { pool: pg.Pool }): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('onSend', async (_req, reply) => {
      reply.header('cache-control', 'no-store');
    });

    app.get('/ops/v1/audit', {
      schema: { ...base, summary: 'The operator audit log, newest first (admins)', querystring: auditListQuery, response: { 200: auditList, ...operatorProblems, 400: problemSchema } },
    }, async (req) => {
      const { cursor, limit } = req.query;
      const rows = await recordsBefore(d.pool, { ...(cursor ? { beforeSeq: cursor } : {}), limit: limit + 1 });
      const page = rows.slice(0, limit);
      return {
        entries: page.map((r) => ({ seq: r.seq, at: r.at.toISOString(), who: r.who, action: r.action, ids: r.ids, outcome: r.outcome, prevHash: r.prevHash, hash: r.hash })),
        nextCursor: rows.length > limit ? page[page.length - 1]!.seq : null,
      };
    });

    app.get('/ops/v1/audit/verify', {
      schema: { ...base, summary: 'Walk the whole audit chain and say whether it is intact (admins)', response: { 200: chainStatus, ...operatorProblems } },
    }, async () => {
      const r = await verifyChain(d.pool);
      return r.kind === 'intact'
        ? { intact: true, count: r.count, headSeq: r.head.seq, headHash: r.head.hash, brokenAt: null, problem: null, detail: null }
        : { intact: false, count: r.checked, headSeq: null, headHash: null, brokenAt: r.seq, problem: r.problem, detail: r.detail };
    });
  };
}
