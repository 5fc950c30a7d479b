/**
 * Liveness and readiness for load balancers and orchestrators, and the problem-code
 * reference that every problem's `type` URI points to.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { z } from 'zod';
import { pendingMigrations, type Migration } from '../db/migrate.js';
import { httpErrors } from '../http/errors.js';
import { sendHtml } from '../http/html.js';
import { problemSchema } from '../http/problem.js';
import { problem, type ErrorSpec } from '../shared/errors.js';
import { escapeHtml } from '../shared/html.js';

export interface SystemDeps {
  pool: pg.Pool;
  migrations: readonly Migration[];
  catalogue: ReadonlyMap<string, ErrorSpec & { module: string }>;
}

export function systemRoutes(deps: SystemDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/health', {
      schema: {
        tags: ['system'], summary: 'Liveness: the process is up',
        response: { 200: z.object({ status: z.literal('ok') }).meta({ examples: [{ status: 'ok' }] }) },
      },
    }, async () => ({ status: 'ok' as const }));

    app.get('/ready', {
      schema: {
        tags: ['system'], summary: 'Readiness: the database answers and every migration is applied',
        response: { 200: z.object({ status: z.literal('ready'), migration: z.number().int() }).meta({ examples: [{ status: 'ready', migration: 2 }] }), 503: problemSchema },
      },
    }, async () => {
      let pending: number[];
      try {
        pending = await pendingMigrations(deps.pool, deps.migrations);
      } catch {
        throw problem(httpErrors, 'service_unavailable', 'The database does not answer.');
      }
      if (pending.length > 0) throw problem(httpErrors, 'service_unavailable', `Migrations pending: ${pending.join(', ')}.`);
      return { status: 'ready' as const, migration: deps.migrations.at(-1)?.version ?? 0 };
    });

    const example = { code: 'validation_failed', status: 400, title: 'The request is not valid', hint: 'The `errors` member lists each field that was refused and why.', module: 'http' };
    const problemDoc = z.object({ code: z.string(), status: z.number().int(), title: z.string(), hint: z.string().optional(), module: z.string() }).meta({ examples: [example] });

    app.get('/problems', {
      schema: { tags: ['system'], summary: 'Every problem code the API can answer with', response: { 200: z.object({ problems: z.array(problemDoc) }).meta({ examples: [{ problems: [example] }] }) } },
    }, async () => ({
      problems: [...deps.catalogue].map(([code, s]) => ({ code, status: s.status, title: s.title, module: s.module, ...(s.hint ? { hint: s.hint } : {}) })),
    }));

    app.get('/problems/:code', {
      schema: {
        tags: ['system'], summary: 'What one problem code means',
        params: z.object({ code: z.string().regex(/^[a-z][a-z0-9_]*$/).max(64) }),
        response: { 200: problemDoc, 404: problemSchema },
      },
    }, async (req, reply) => {
      const spec = deps.catalogue.get(req.params.code);
      if (!spec) throw problem(httpErrors, 'not_found', 'No such problem code.');
      const doc = { code: req.params.code, status: spec.status, title: spec.title, module: spec.module, ...(spec.hint ? { hint: spec.hint } : {}) };
      if (req.headers.accept?.includes('text/html')) {
        return sendHtml(reply,
          `<!doctype html><meta charset="utf-8"><title>${escapeHtml(doc.code)}</title>` +
          `<h1>${escapeHtml(doc.title)}</h1><p>Code <code>${escapeHtml(doc.code)}</code>, HTTP ${doc.status}.</p>` +
          (doc.hint ? `<p>${escapeHtml(doc.hint)}</p>` : ''),
        );
      }
      return doc;
    });
  };
}
