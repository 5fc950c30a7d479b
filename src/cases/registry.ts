/**
 * What happens to a held item when its case is decided: a plug-in point for the modules
 * that hold things (the risk engine holds top-ups, payments and cards and makes them wait).
 * The cases module records decisions; the holder knows how to release or refuse.
 *
 * Contract:
 * - `onCaseDecided(subjectType, handler)` registers the handler for cases whose subject
 *   has that type (`'topup'`, `'payment'`, `'card'`, `'login'`, `'signup'`). One handler
 *   per type; registering again replaces it (a second server in one process, a test).
 * - The handler runs **inside the decision's transaction**, after the case row is marked
 *   decided and before the customer's notice is queued: the release (or the refusal) and
 *   the decision commit together or not at all. It may run more than once if the
 *   transaction is retried (40001/40P01), so it must only touch the database through `q`
 *   (no network calls; queue those through the outbox). Throwing rolls the decision back.
 * - It is called once per decided case with `decision`: `approved` (release what was
 *   held), `rejected` (keep it refused) or `closed` (only for `risk_flag` cases: nothing
 *   was held). A case whose subject type has no handler is still decided.
 * - Claims are not dispatched here: an approved claim pays compensation (./compensation.ts).
 *
 * @example
 *   onCaseDecided('topup', async (q, c) => {
 *     if (c.decision === 'approved') await releaseHeldTopup(q, c.subject!.id, c.now);
 *     else await refuseHeldTopup(q, c.subject!.id, c.now);
 *   });
 */
import type { Queryable } from '../db/pool.js';
import type { CaseDecision, CaseKind, CaseSubject } from './types.js';

export interface DecidedCase {
  /** The case's UUID (its public id is `cas_…` of it). */
  caseId: string;
  kind: CaseKind;
  /** The customer's UUID. */
  userId: string;
  subject: CaseSubject | null;
  decision: CaseDecision;
  /** The analyst's reason (internal; never shown to the customer). */
  reason: string;
  /** `opr_…` or `operator-token`. */
  decidedBy: string;
  now: Date;
}

export type CaseDecidedHandler = (q: Queryable, decided: DecidedCase) => Promise<void>;

const handlers = new Map<string, CaseDecidedHandler>();

export function onCaseDecided(subjectType: string, handler: CaseDecidedHandler): void {
  handlers.set(subjectType, handler);
}

/** The handler for a case's subject, if one is registered. */
export function caseDecidedHandler(subjectType: string | null): CaseDecidedHandler | undefined {
  return subjectType === null ? undefined : handlers.get(subjectType);
}
