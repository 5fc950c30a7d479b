/** The customer's wallet: balance, limits, what remains, and account state. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { z } from 'zod';
import { problemSchema } from '../http/problem.js';
import { requireSession, type AuthDeps } from '../identity/http-auth.js';
import type { Clock } from '../shared/clock.js';
import type { Limits } from './limits.js';
import { walletView } from './service.js';
import { CSV_HEADER, csvLine, decodeCursor, historyPage } from './history.js';
import { problem } from '../shared/errors.js';
import { walletErrors } from './errors.js';
import { historySchema, walletSchema } from './schemas.js';

const historyQuery = z.object({
  kind: z.string().regex(/^[a-z_]+(,[a-z_]+)*$/).max(200).optional().describe('Comma-separated kinds, e.g. `topup_card,payment`'),
  from: z.iso.datetime({ offset: true }).optional().describe('Movements at or after this time'),
  to: z.iso.datetime({ offset: true }).optional().describe('Movements before this time'),
  cursor: z.string().max(200).optional().describe('`nextCursor` of the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const CSV_MAX_ROWS = 10_000;
/**
 * Excel in Japan opens a CSV without a byte-order mark as Shift_JIS and garbles every
 * Japanese store name; with it, as UTF-8. Other readers skip it.
 */
const UTF8_BOM = '\uFEFF';

export function walletRoutes(deps: { pool: pg.Pool; clock: Clock; limits: Limits; auth: AuthDeps }): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('preHandler', requireSession(deps.auth));
    app.get('/v1/wallet', {
      schema: {
        tags: ['wallet'], summary: 'Your balance, limits and what remains of them',
        security: [{ bearer: [] }, { cookie: [] }],
        response: { 200: walletSchema, 401: problemSchema },
      },
    }, async (req) => {
      const { user } = req.auth!;
      const now = deps.clock.now();
      const restricted = !!user.restricted_until && user.restricted_until > now;
      const view = await walletView(deps.pool, user.id, deps.limits, restricted, now);
      return {
        currency: 'JPY' as const, ...view,
        restrictedUntil: restricted ? user.restricted_until!.toISOString() : null,
        frozen: !!user.frozen_at,
      };
    });

    const filterOf = (q: { kind?: string | undefined; from?: string | undefined; to?: string | undefined }) => ({
      kinds: q.kind?.split(','), from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined,
    });

    app.get('/v1/wallet/history', {
      schema: {
        tags: ['wallet'], summary: 'Your movements, newest first', security: [{ bearer: [] }, { cookie: [] }],
        querystring: historyQuery, response: { 200: historySchema, 400: problemSchema, 401: problemSchema },
      },
    }, async (req) => {
      const after = req.query.cursor === undefined ? undefined : decodeCursor(req.query.cursor);
      if (req.query.cursor !== undefined && !after) throw problem(walletErrors, 'invalid_cursor');
      return historyPage(deps.pool, req.auth!.user.id, filterOf(req.query), after, req.query.limit);
    });

    app.get('/v1/wallet/history.csv', {
      schema: {
        tags: ['wallet'], summary: 'Your movements as CSV (up to 10,000, newest first)', security: [{ bearer: [] }, { cookie: [] }],
        querystring: historyQuery.omit({ cursor: true, limit: true }),
        response: {
          200: {
            description: 'RFC 4180 CSV in UTF-8 with a byte-order mark (for Excel), one movement a line, amounts in signed integer yen',
            content: { 'text/csv': { schema: z.string().meta({ examples: ['id,created_at,kind,direction,amount_jpy,status,description\r\ntxn_019ab5…,2026-11-25T09:12:00.000Z,payment,out,-1200,posted,FamilyMart Shibuya\r\n'] }) } },
          },
          400: problemSchema, 401: problemSchema,
        },
      },
    }, async (req, reply) => {
      const lines = [CSV_HEADER.join(',')];
      let after: { createdAt: Date; id: string } | undefined;
      while (lines.length <= CSV_MAX_ROWS) {
        const page = await historyPage(deps.pool, req.auth!.user.id, filterOf(req.query), after, 500);
        lines.push(...page.movements.map(csvLine));
        if (!page.nextCursor) break;
        after = decodeCursor(page.nextCursor);
      }
      return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="konpay-history.csv"')
        .serializer((x: unknown) => x as string).send(UTF8_BOM + lines.slice(0, CSV_MAX_ROWS + 1).join('\r\n') + '\r\n');
    });
  };
}
