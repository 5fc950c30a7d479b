import type pg from 'pg';
import type { Queryable } from '../db/pool.js';
import type { Clock } from '../shared/clock.js';

/**
 * The second-operator approvals a large compensation needs (OPS-2), as
 * src/ops/approvals/ offers them; injected by the composition root so this module does
 * not depend on that one. Without it, every compensation is a single operator's.
 */
export interface CompensationApprovals {
  request(q: Queryable, r: { payload: { caseId: string; amount: number }; amount: number; requestedBy: string; reason: string }): Promise<{ id: string }>;
}

export interface CasesDeps {
  pool: pg.Pool;
  clock: Clock;
  /** Compensations above this many yen need a second operator (APPROVAL_COMPENSATION_YEN). */
  compensationApprovalYen: number;
  approvals?: CompensationApprovals | undefined;
}
