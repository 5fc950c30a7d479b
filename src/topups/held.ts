/**
 * What an analyst's decision does to a top-up the risk engine held (RISK-1, RISK-2).
 * Runs inside the case decision's transaction (src/cases/registry.ts): database only,
 * no network. Approved: the hold is lifted and the customer's next confirm starts the
 * issuer's challenge (the card is asked then, never from here). Rejected: the reserved
 * credit is voided and the top-up ends `canceled` with `risk_declined`.
 */
import type { Queryable } from '../db/pool.js';
import type { DecidedCase } from '../cases/registry.js';
import { fromPublicId, newUuid } from '../shared/ids.js';
import { createTransfer } from '../wallet/ledger/ledger.js';
import { findResolution } from '../wallet/ledger/repo.js';
import type { TopupsDeps } from './deps.js';
import { findTopup, finishTopup, releaseHeld } from './repo.js';

export function heldTopupDecided(deps: Pick<TopupsDeps, 'challengeMs' | 'logger'>) {
  return async (q: Queryable, c: DecidedCase): Promise<void> => {
    const id = c.subject ? fromPublicId('top', c.subject.id) : undefined;
    if (!id) return;
    if (c.decision === 'approved') {
      await releaseHeld(q, id, new Date(c.now.getTime() + deps.challengeMs), c.now);
      return;
    }
    const topup = await findTopup(q, id, { lock: true });
    if (!topup || !topup.held_at || topup.status !== 'requires_action') return;
    const resolvedId = newUuid();
    const r = await createTransfer(q, { phase: 'void_pending', id: resolvedId, pendingId: topup.pending_transfer_id, metadata: { reason: 'risk_declined' } }, c.now);
    // The sweeper may have voided an old hold already; the top-up ends all the same.
    if (r.kind !== 'created' && r.kind !== 'pending_already_resolved' && r.kind !== 'pending_expired') throw new Error(`held top-up refusal: ledger said ${r.kind}`);
    const resolved = r.kind === 'created' ? resolvedId : (await findResolution(q, topup.pending_transfer_id))?.id;
    if (!resolved) throw new Error('held top-up refusal: the hold has no resolution');
    await finishTopup(q, id, 'canceled', resolved, 'risk_declined', c.now);
  };
}
