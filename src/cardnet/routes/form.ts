import type { FastifyInstance } from 'fastify';

/**
 * Browsers post the card form and the challenge form as application/x-www-form-urlencoded;
 * the JSON-only app refuses that elsewhere, so the parser is added in this scope only.
 * A repeated field keeps its first value rather than becoming an array.
 */
export function acceptForms(app: FastifyInstance): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 8 * 1024 }, (_req, body, done) => {
    const out: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(body as string)) if (!(k in out)) out[k] = v;
    done(null, out);
  });
}

export const field = (body: unknown, name: string): string => {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof v === 'string' ? v : '';
};
