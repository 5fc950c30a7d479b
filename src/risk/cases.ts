/**
 * Where a held item becomes an analyst's case (RISK-2). The case module (src/cases/)
 * owns the queue and tells the customer; the risk engine only asks for a case through
 * this port, so the composition root decides what stands behind it.
 */
import type { Queryable } from '../db/pool.js';

export interface OpenCaseInput {
  kind: 'risk_hold' | 'risk_flag' | 'claim';
  userId: string;
  subject: { type: string; id: string } | null;
  reasons: readonly string[];
  evidence: Record<string, unknown>;
  now: Date;
}

/** The contract of `openCase` in src/cases/open.ts. */
export type OpenCase = (q: Queryable, input: OpenCaseInput) => Promise<{ caseId: string }>;
