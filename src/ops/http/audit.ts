/**
 * The operator action log: who did what to which ids, and how it ended. A log line for
 * now; the tamper-evident audit log of OPS-2 will take these same records, so routes
 * call this one function and never write the line themselves.
 *
 * Reads are recorded too (who looked at which merchant's data). Only ids and outcomes
 * go in: never a body, a secret or a URL's query.
 */
import type { FastifyRequest } from 'fastify';

export type ActionIds = Readonly<Record<string, string | undefined>>;

export function recordOperatorAction(req: FastifyRequest, action: string, ids: ActionIds, outcome: string): void {
  // requireOperator runs first on every operator route; a missing operator is a wiring bug.
  const who = req.operator?.id;
  if (!who) throw new Error(`operator action ${action} without an operator`);
  req.log.info({ audit: { who, action, ids, outcome } }, 'operator action');
}
