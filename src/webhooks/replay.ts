/**
 * Operators' replay (PAY-3): an event goes again to its merchant's endpoints that are
 * active now, as new outbox messages. The body is the same (same `evt_…` id, so
 * receivers that already have it drop it); the signature is made afresh at send time.
 */
import { withTransaction } from '../db/tx.js';
import { fromPublicId, toPublicId, type PrefixedId } from '../shared/ids.js';
import type { WebhookDeps } from './deps.js';
import { enqueueToActiveEndpoints } from './emit.js';
import { findEvent } from './repo.js';

export async function replayEvent(
  deps: Pick<WebhookDeps, 'pool' | 'outbox'>, eventId: string,
): Promise<{ kind: 'replayed'; eventId: PrefixedId<'evt'>; merchantId: PrefixedId<'mer'>; endpoints: number } | { kind: 'not_found' }> {
  const id = fromPublicId('evt', eventId);
  if (!id) return { kind: 'not_found' };
  return withTransaction(deps.pool, async (c) => {
    const event = await findEvent(c, id);
    if (!event) return { kind: 'not_found' as const };
    const endpoints = await enqueueToActiveEndpoints(deps.outbox, c, event.merchant_id, event.id);
    return { kind: 'replayed' as const, eventId: toPublicId('evt', event.id), merchantId: toPublicId('mer', event.merchant_id), endpoints };
  });
}
