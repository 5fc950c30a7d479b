/** The delivery log of a merchant, newest first, for operators (and later the merchant console). */
import { fromPublicId, toPublicId, type PrefixedId } from '../shared/ids.js';
import type { WebhookDeps } from './deps.js';
import type { MerchantEventType } from './events.js';
import { listDeliveryRows, merchantExists, type DeliveryOutcome } from './repo.js';

export interface DeliveryView {
  eventId: PrefixedId<'evt'>;
  eventType: MerchantEventType;
  endpointId: PrefixedId<'whe'>;
  url: string;
  /** `msg_…`: a replay's attempts have their own. */
  messageId: PrefixedId<'msg'>;
  attempt: number;
  outcome: DeliveryOutcome;
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
  at: Date;
}

export async function listDeliveries(
  deps: Pick<WebhookDeps, 'pool'>, merchant: string, limit: number,
): Promise<{ kind: 'found'; deliveries: DeliveryView[] } | { kind: 'not_found' }> {
  const merchantId = fromPublicId('mer', merchant);
  if (!merchantId || !(await merchantExists(deps.pool, merchantId))) return { kind: 'not_found' };
  const rows = await listDeliveryRows(deps.pool, merchantId, limit);
  return {
    kind: 'found',
    deliveries: rows.map((r) => ({
      eventId: toPublicId('evt', r.event_id), eventType: r.event_type, endpointId: toPublicId('whe', r.endpoint_id), url: r.url,
      messageId: toPublicId('msg', r.outbox_id), attempt: r.attempt, outcome: r.outcome, httpStatus: r.http_status, error: r.error,
      durationMs: r.duration_ms, at: r.at,
    })),
  };
}
