/**
 * Recording a merchant event, for the module whose change it reports (payments):
 *
 *     await emitMerchantEvent({ outbox }, q, {
 *       merchantId: toPublicId('mer', terminal.merchantId), type: 'payment.approved', now,
 *       data: { payment: { id: 'pay_…', storeId: 'sto_…', orderId, amount, refunded, status, createdAt } },
 *     });
 *
 * `q` is the caller's transaction: the event row and one outbox message per active
 * endpoint commit with the payment or not at all, so a rolled-back payment is never
 * announced and a committed one always is.
 */
import type { Queryable } from '../db/pool.js';
import type { Outbox } from '../outbox/outbox.js';
import { fromPublicId, newUuid, toPublicId, type PrefixedId } from '../shared/ids.js';
import { WEBHOOK_TOPIC, type WebhookMessage } from './delivery.js';
import { MERCHANT_EVENT_TYPES, type MerchantEventType } from './events.js';
import { activeEndpointIds, insertEvent, insertEventsFindingEndpoints } from './repo.js';

export interface MerchantEventInput {
  merchantId: PrefixedId<'mer'>;
  type: MerchantEventType;
  /** The body's `data`, any JSON object: public ids only (`pay_…`, `sto_…`), integer yen. */
  data: Readonly<Record<string, unknown>>;
  /** When it happened: the business change's own time. */
  now: Date;
}

export async function emitMerchantEvent(
  deps: { outbox: Outbox }, q: Queryable, input: MerchantEventInput,
): Promise<{ eventId: PrefixedId<'evt'>; endpoints: number }> {
  const merchantId = fromPublicId('mer', input.merchantId);
  // Callers pass ids they just read from their own rows: a bad one is a bug, not an outcome.
  if (!merchantId) throw new Error('emitMerchantEvent: merchantId must be a mer_… id');
  if (!MERCHANT_EVENT_TYPES.includes(input.type)) throw new Error(`emitMerchantEvent: unknown event type ${input.type}`);
  const id = newUuid();
  await insertEvent(q, { id, merchantId, type: input.type, payload: input.data, at: input.now });
  const endpoints = await enqueueToActiveEndpoints(deps.outbox, q, merchantId, id);
  return { eventId: toPublicId('evt', id), endpoints };
}

/** One message per active endpoint of the merchant; shared by emission and replay. */
export async function enqueueToActiveEndpoints(outbox: Outbox, q: Queryable, merchantId: string, eventId: string): Promise<number> {
  const endpoints = await activeEndpointIds(q, merchantId);
  for (const endpointId of endpoints) await outbox.enqueue<WebhookMessage>(q, WEBHOOK_TOPIC, { eventId, endpointId });
  return endpoints.length;
}

/**
 * The same, for callers that hold the merchant's database id (a POS request's
 * `req.terminal.merchantId`, a payment row): the shape of payments' `MerchantEvents` port.
 */
export function merchantEvents(outbox: Outbox) {
  return {
    async emit(q: Queryable, e: { merchantId: string; type: MerchantEventType; data: Readonly<Record<string, unknown>>; now: Date }): Promise<void> {
      await emitMerchantEvent({ outbox }, q, { ...e, merchantId: toPublicId('mer', e.merchantId) });
    },
    /** A batch of events (a batch of payments) in two statements whatever their number. */
    async emitMany(q: Queryable, events: readonly { merchantId: string; type: MerchantEventType; data: Readonly<Record<string, unknown>>; now: Date }[]): Promise<void> {
      if (events.length === 0) return;
      for (const e of events) if (!MERCHANT_EVENT_TYPES.includes(e.type)) throw new Error(`emitMerchantEvent: unknown event type ${e.type}`);
      const rows = events.map((e) => ({ id: newUuid(), merchantId: e.merchantId, type: e.type, payload: e.data, at: e.now }));
      const endpoints = await insertEventsFindingEndpoints(q, rows);
      const messages = rows.flatMap((r) => endpoints.filter((ep) => ep.merchant_id === r.merchantId).map((ep) => ({ payload: { eventId: r.id, endpointId: ep.id } satisfies WebhookMessage })));
      await outbox.enqueueMany(q, WEBHOOK_TOPIC, messages);
    },
  };
}
