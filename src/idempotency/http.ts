/** Idempotency at the HTTP edge: reading the header and answering replays. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE } from '../http/problem.js';
import { problem } from '../shared/errors.js';
import { idempotencyErrors } from './errors.js';
import type { IdempotentResult } from './idempotency.js';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const VALID = /^[\x21-\x7e]{1,255}$/;

export function idempotencyKeyOf(req: FastifyRequest): string {
  const raw = req.headers[IDEMPOTENCY_HEADER];
  if (raw === undefined) throw problem(idempotencyErrors, 'idempotency_key_required');
  if (typeof raw !== 'string' || !VALID.test(raw)) throw problem(idempotencyErrors, 'idempotency_key_invalid');
  return raw;
}

function answer(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  // A refusal recorded as the first answer is replayed as the same problem document.
  if (status >= 400) reply.type(PROBLEM_CONTENT_TYPE).serializer(JSON.stringify);
  return reply.code(status).send(body);
}

/** Sends a fresh or replayed answer (replays say so in `Idempotent-Replayed`), or the problem. */
export function sendIdempotent(reply: FastifyReply, r: IdempotentResult): FastifyReply {
  switch (r.kind) {
    case 'fresh': return answer(reply, r.status, r.body);
    case 'replayed': return answer(reply.header('idempotent-replayed', 'true'), r.status, r.body);
    case 'key_reused': throw problem(idempotencyErrors, 'idempotency_key_reused');
    case 'in_progress': throw problem(idempotencyErrors, 'idempotency_request_in_progress', undefined, { retryAfterSeconds: 1 });
  }
}
