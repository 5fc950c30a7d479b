/**
 * The case report (`npm run ops -- cases export`): every case matching the filters,
 * oldest first, as JSON lines of one array or RFC 4180 CSV (formula-safe, as the
 * history's CSV is: a spreadsheet must not run a customer's claim text).
 */
import type { Queryable } from '../db/pool.js';
import { csvField } from '../wallet/history.js';
import { caseQueue } from './queries.js';
import { caseView } from './schemas.js';
import type { CaseKind, CaseStatus } from './types.js';

const EXPORT_MAX = 100_000;

export const EXPORT_COLUMNS = [
  'id', 'kind', 'status', 'customer_id', 'subject_type', 'subject_id', 'reasons', 'created_at',
  'assigned_to', 'decided_at', 'decided_by', 'decision_reason', 'approval_id', 'evidence',
] as const;

export async function exportCases(q: Queryable, f: { status?: CaseStatus | undefined; kind?: CaseKind | undefined; since?: Date | undefined }, format: 'json' | 'csv'): Promise<string> {
  const cases = (await caseQueue(q, { status: f.status, kind: f.kind, since: f.since, limit: EXPORT_MAX })).map(caseView);
  if (format === 'json') return JSON.stringify(cases, null, 2);
  const lines = cases.map((c) => [
    c.id, c.kind, c.status, c.customerId, c.subject?.type ?? null, c.subject?.id ?? null, c.reasons.join(';'), c.createdAt,
    c.assignedTo, c.decidedAt, c.decidedBy, c.decisionReason, c.approvalId, JSON.stringify(c.evidence),
  ].map(csvField).join(','));
  return [EXPORT_COLUMNS.join(','), ...lines].join('\r\n');
}
