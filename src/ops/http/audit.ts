/**
 * The operator action log: who did what to which ids, and how it ended. Every record is
 * a row of the hash-chained audit log (src/ops/audit/, OPS-2) and a log line
 * `operator action`; routes call this one function and never write either themselves.
 *
 * Where an action changes data in a transaction, pass that transaction as `q`: the audit
 * row then commits with the change or not at all. Without `q` the row is appended in its
 * own transaction, right after the action (reads, and modules whose transactions are
 * their own); an action can then commit and its row fail, which the caller sees as a 500.
 *
 * Reads are recorded too (who looked at which merchant's data). Only ids and outcomes
 * go in: never a body, a secret or a URL's query.
 */
import type { FastifyRequest } from 'fastify';
import type pg from 'pg';
import type { Queryable } from '../../db/pool.js';
import type { Clock } from '../../shared/clock.js';
import { appendAudit, appendAuditAlone } from '../audit/log.js';

export type ActionIds = Readonly<Record<string, string | undefined>>;

/** Where operator routes append: set on every request of the operator plugin (./routes.ts). */
export interface AuditSink {
  pool: pg.Pool;
  clock: Clock;
}

declare module 'fastify' {
  interface FastifyRequest {
    auditSink?: AuditSink;
  }
}

export async function recordOperatorAction(req: FastifyRequest, action: string, ids: ActionIds, outcome: string, q?: Queryable): Promise<void> {
  // requireOperator runs first on every operator route; a missing operator is a wiring bug.
  const who = req.operator?.id;
  if (!who) throw new Error(`operator action ${action} without an operator`);
  await appendFor(req, { who, action, ids, outcome }, q);
}

/** For requireOperator's refusals, which happen before `req.operator` is set. */
export async function appendFor(req: FastifyRequest, e: { who: string; action: string; ids: ActionIds; outcome: string }, q?: Queryable): Promise<void> {
  const sink = req.auditSink;
  if (!sink) throw new Error(`operator action ${e.action} outside the operator plugin`);
  const at = sink.clock.now();
  if (q) await appendAudit(q, e, at);
  else await appendAuditAlone(sink.pool, e, at);
  // Inside a transaction that is retried this line may repeat; the chain holds the one that committed.
  req.log.info({ audit: { who: e.who, action: e.action, ids: e.ids, outcome: e.outcome } }, 'operator action');
}

/**
 * Only the log line, for an action a service already appended to the chain in its own
 * transaction (approvals: src/ops/approvals/service.ts).
 */
export function logOperatorAction(req: FastifyRequest, action: string, ids: ActionIds, outcome: string): void {
  req.log.info({ audit: { who: req.operator?.id, action, ids, outcome } }, 'operator action');
}
