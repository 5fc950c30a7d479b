/**
 * Opening a case (RISK-2, OPS-3). The risk engine calls this inside its own transaction
 * when it holds a top-up, payment or card (or flags something), and the claims service
 * when a customer reports unauthorised use, so the case exists exactly when the hold
 * does: a rolled-back hold leaves no case, and a committed one is never without its case.
 *
 * The customer is told (e-mail and push, through the outbox in the same transaction)
 * that we are checking, except for `risk_flag`: a flag holds nothing, and telling a
 * fraudster which of their moves drew attention helps only them.
 *
 * @example
 *   const { caseId } = await openCase(q, {
 *     kind: 'risk_hold', userId, subject: { type: 'topup', id: topupId },
 *     reasons: ['velocity'], evidence: { score: 80, signals: { topupsLastHour: 6 } }, now,
 *   });
 */
import type { Queryable } from '../db/pool.js';
import { fromPublicId, newUuid } from '../shared/ids.js';
import { recordCaseNotice } from './notices.js';
import { insertCase } from './repo.js';

export async function openCase(q: Queryable, input: {
  kind: 'risk_hold' | 'risk_flag' | 'claim';
  userId: string;
  subject: { type: string; id: string } | null;
  reasons: readonly string[];
  evidence: Record<string, unknown>;
  now: Date;
}): Promise<{ caseId: string }> {
  const id = newUuid();
  // Repos speak UUIDs; a caller holding the public `usr_…` id may pass that too.
  const userId = fromPublicId('usr', input.userId) ?? input.userId;
  await insertCase(q, {
    id, kind: input.kind, userId, subjectType: input.subject?.type ?? null, subjectId: input.subject?.id ?? null,
    reasons: input.reasons, evidence: input.evidence, now: input.now,
  });
  if (input.kind !== 'risk_flag') {
    await recordCaseNotice(q, { userId, kind: input.kind, event: 'opened', subjectType: input.subject?.type ?? null }, input.now);
  }
  return { caseId: id };
}
