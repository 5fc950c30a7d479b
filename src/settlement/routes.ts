/** Settlement for operators (PAY-4): a day's report as JSON or CSV, and closing the day. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema } from '../http/problem.js';
import { OPERATOR_SECURITY, OPERATOR_TAGS, operatorProblems } from '../ops/http/contract.js';
import { recordOperatorAction } from '../ops/http/audit.js';
import { problem } from '../shared/errors.js';
import { fromPublicId } from '../shared/ids.js';
import { closeDay, readDay, type SettlementDeps } from './close.js';
import { isBusinessDate } from './dates.js';
import { settlementErrors } from './errors.js';
import { CSV_COLUMNS, reportCsv } from './render.js';
import { settlementReport, settlementReportSchema } from './report.js';

const figures = { payments: { count: 2, amount: 5280 }, cancellations: { count: 0, amount: 0 }, refunds: { count: 1, amount: 1500 }, fees: 132, net: 3648 };
const reportAnswer = settlementReportSchema.meta({
  examples: [{
    date: '2026-11-25', currency: 'JPY',
    stores: [{ storeId: 'sto_019ab5c4e2d07c3a9e51f0b2d4c6a8e6', merchantId: 'mer_019ab5c4e2d07c3a9e51f0b2d4c6a8e4', ...figures }],
    total: figures,
  }],
});
const params = z.object({ date: z.string().max(10).describe('The JST business day, YYYY-MM-DD') });

export function settlementOpsRoutes(deps: SettlementDeps): FastifyPluginAsyncZod {
  const dateOf = (raw: string) => {
    if (!isBusinessDate(raw)) throw problem(settlementErrors, 'settlement_invalid_date');
    return raw;
  };
  return async (app) => {
    app.get('/ops/v1/settlements/:date', {
      schema: {
        tags: OPERATOR_TAGS, security: OPERATOR_SECURITY, summary: 'A JST business day\'s settlement per store: payments − cancellations − refunds − fees',
        description: 'Computed from immutable facts only, so a past day always gives the same report. `format=csv` answers RFC 4180 CSV with a TOTAL line.',
        params, querystring: z.object({ format: z.enum(['json', 'csv']).default('json'), store: z.string().max(40).optional().describe('`sto_…`: one store only') }),
        response: {
          200: { description: 'The report', content: { 'application/json': { schema: reportAnswer }, 'text/csv': { schema: z.string().meta({ examples: [`${CSV_COLUMNS.join(',')}\r\n`] }) } } },
          400: problemSchema, ...operatorProblems,
        },
      },
    }, async (req, reply) => {
      const date = dateOf(req.params.date);
      const storeUuid = req.query.store === undefined ? undefined : fromPublicId('sto', req.query.store);
      if (req.query.store !== undefined && !storeUuid) throw problem(settlementErrors, 'settlement_not_found');
      const report = await readDay(deps.pool, (q) => settlementReport(q, date, storeUuid ? { storeUuid } : {}));
      await recordOperatorAction(req, 'settlement.report', { date }, 'read');
      if (req.query.format === 'csv') {
        return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="konpay-settlement-${date}.csv"`)
          .serializer((x: unknown) => x as string).send(reportCsv(report));
      }
      return report;
    });

    app.post('/ops/v1/settlements/:date/close', {
      schema: {
        tags: OPERATOR_TAGS, security: OPERATOR_SECURITY, summary: 'Close a JST business day: book each store\'s fees once (repeatable)',
        params, response: { 200: z.object({ date: z.string(), total: z.number().int() }).meta({ examples: [{ date: '2026-11-25', total: 132 }] }), 400: problemSchema, ...operatorProblems, 409: problemSchema },
      },
    }, async (req) => {
      const r = await closeDay(deps, dateOf(req.params.date));
      await recordOperatorAction(req, 'settlement.close', { date: req.params.date }, r.kind);
      if (r.kind !== 'closed') throw problem(settlementErrors, r.code, r.detail);
      return { date: r.date, total: r.total };
    });
  };
}
