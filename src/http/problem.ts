/**
 * RFC 9457 problem details: the one error format of the whole API.
 * `{ type, title, status, code, detail, requestId, ...extensions }` served as
 * `application/problem+json`. Only titles from the closed tables and details written
 * by us reach the client: never a stack, SQL text or an internal name.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DependencyUnavailable, ProblemError, problem } from '../shared/errors.js';
import { httpErrors } from './errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export const problemSchema = z
  .object({
    type: z.string().describe('URI of the page that documents this problem code'),
    title: z.string(),
    status: z.number().int(),
    code: z.string().describe('Stable machine-readable code; see /problems'),
    detail: z.string().optional(),
    requestId: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .loose()
  .meta({ id: 'Problem' });

export type Problem = z.infer<typeof problemSchema>;

export function problemBody(err: ProblemError, requestId: string, baseUrl: string): Problem {
  return {
    ...err.extensions,
    type: `${baseUrl}/problems/${err.code}`,
    title: err.title,
    status: err.status,
    code: err.code,
    ...(err.detail !== undefined ? { detail: err.detail } : {}),
    requestId,
  };
}

const BY_FASTIFY_CODE: Record<string, ProblemError> = {
  FST_ERR_CTP_INVALID_JSON_BODY: problem(httpErrors, 'malformed_json', 'The body could not be parsed as JSON, or uses a reserved key.'),
  FST_ERR_CTP_EMPTY_JSON_BODY: problem(httpErrors, 'malformed_json', 'The body is empty but the content type says JSON.'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: problem(httpErrors, 'unsupported_media_type', 'Only application/json bodies are accepted.'),
  FST_ERR_CTP_BODY_TOO_LARGE: problem(httpErrors, 'payload_too_large'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: problem(httpErrors, 'bad_request', 'Content-Length does not match the body.'),
};

const BY_STATUS: Record<number, keyof typeof httpErrors.codes> = {
  404: 'not_found', 405: 'method_not_allowed', 406: 'not_acceptable', 413: 'payload_too_large',
  415: 'unsupported_media_type', 429: 'too_many_requests', 503: 'service_unavailable',
};

/** Turns anything thrown in a request into a ProblemError; `internal` marks the ones to log as bugs. */
export function toProblem(err: unknown): { problem: ProblemError; internal: boolean } {
  if (err instanceof ProblemError) return { problem: err, internal: false };
  // Logged as an error (an outage an operator must see), answered as a retryable 503.
  if (err instanceof DependencyUnavailable) {
    return { problem: problem(httpErrors, 'service_unavailable', 'Please try again shortly.', { retryAfterSeconds: err.retryAfterSeconds }), internal: true };
  }
  const e = err as FastifyError;
  if (hasZodFastifySchemaValidationErrors(e)) {
    const errors = e.validation.map((v) => ({
      path: `${e.validationContext ?? 'body'}${v.instancePath.replace(/\//g, '.')}`,
      message: v.message ?? 'invalid',
    }));
    return {
      problem: problem(httpErrors, 'validation_failed', errors.map((x) => `${x.path}: ${x.message}`).join('; '), { errors }),
      internal: false,
    };
  }
  const known = e?.code ? BY_FASTIFY_CODE[e.code] : undefined;
  if (known) return { problem: known, internal: false };
  // PostgreSQL cannot store U+0000 in text (SQLSTATE 22021): a client's string, not our bug.
  if (e?.code === '22021') return { problem: problem(httpErrors, 'bad_request', 'Text must not contain the NUL character (U+0000).'), internal: false };
  const status = typeof e?.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500) return { problem: problem(httpErrors, BY_STATUS[status] ?? 'bad_request'), internal: false };
  if (status === 503) return { problem: problem(httpErrors, 'service_unavailable'), internal: false };
  return { problem: problem(httpErrors, 'internal_error'), internal: true };
}

export function sendProblem(req: FastifyRequest, reply: FastifyReply, err: ProblemError, baseUrl: string): FastifyReply {
  const retryAfter = err.extensions['retryAfterSeconds'];
  if (typeof retryAfter === 'number') reply.header('retry-after', String(Math.ceil(retryAfter)));
  return reply.code(err.status).type(PROBLEM_CONTENT_TYPE).serializer(JSON.stringify).send(problemBody(err, req.id, baseUrl));
}
