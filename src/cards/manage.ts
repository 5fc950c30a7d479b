/** Listing and removing cards. */
import { withTransaction } from '../db/tx.js';
import type { CardsDeps } from './deps.js';
import { findCard, listCards, transitionCard, type CardRow } from './repo.js';

export function cardsOf(deps: Pick<CardsDeps, 'pool'>, userId: string): Promise<CardRow[]> {
  return listCards(deps.pool, userId, ['active', 'pending']);
}

export type RemoveResult = { kind: 'removed' } | { kind: 'not_found' };

/** Removing is immediate; top-ups already under way with the card finish on their own. */
export function removeCard(deps: Pick<CardsDeps, 'pool' | 'clock'>, userId: string, cardId: string): Promise<RemoveResult> {
  return withTransaction(deps.pool, async (q): Promise<RemoveResult> => {
    const card = await findCard(q, cardId, { lock: true });
    if (!card || card.user_id !== userId || card.status === 'removed' || card.status === 'failed') return { kind: 'not_found' };
    await transitionCard(q, card.id, card.status, 'removed', deps.clock.now());
    return { kind: 'removed' };
  });
}
