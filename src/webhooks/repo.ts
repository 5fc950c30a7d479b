/** SQL for merchant webhooks: endpoints, events and the delivery log. Ids here are database UUIDs. */
import type { Queryable } from '../db/pool.js';
import type { JsonObject, MerchantEventType } from './events.js';

export type EndpointStatus = 'active' | 'disabled';

export interface EndpointRow { id: string; merchant_id: string; url: string; status: EndpointStatus; created_at: Date; disabled_at: Date | null }
export interface EventRow { id: string; merchant_id: string; type: MerchantEventType; payload: JsonObject; created_at: Date }

/** An event and the endpoint it is going to: what one send needs (both secrets during a rotation). */
export interface DeliveryTarget {
  event: EventRow;
  endpoint: EndpointRow & { secret_sealed: string; previous_secret_sealed: string | null; previous_secret_until: Date | null };
}

export type DeliveryOutcome = 'delivered' | 'retrying' | 'dead' | 'skipped';

export interface DeliveryLogRow {
  id: string; event_id: string; event_type: MerchantEventType; endpoint_id: string; url: string; outbox_id: string;
  attempt: number; outcome: DeliveryOutcome; http_status: number | null; error: string | null; duration_ms: number; at: Date;
}

const ENDPOINT_COLUMNS = 'id, merchant_id, url, status, created_at, disabled_at';

export async function merchantExists(q: Queryable, merchantId: string): Promise<boolean> {
  return (await q.query(`SELECT 1 FROM merchants WHERE id = $1`, [merchantId])).rowCount === 1;
}

/** Inserts the endpoint when its merchant exists; undefined otherwise. */
export async function insertEndpoint(
  q: Queryable, e: { id: string; merchantId: string; url: string; secretSealed: string; now: Date },
): Promise<EndpointRow | undefined> {
  return (await q.query<EndpointRow>(
    `INSERT INTO webhook_endpoints (id, merchant_id, url, secret_sealed, created_at)
     SELECT $1, id, $3, $4, $5 FROM merchants WHERE id = $2 RETURNING ${ENDPOINT_COLUMNS}`,
    [e.id, e.merchantId, e.url, e.secretSealed, e.now],
  )).rows[0];
}

/** Disables the merchant's endpoint; a second time keeps the first time. */
export async function disableEndpointRow(q: Queryable, merchantId: string, id: string, now: Date): Promise<EndpointRow | undefined> {
  return (await q.query<EndpointRow>(
    `UPDATE webhook_endpoints SET status = 'disabled', disabled_at = coalesce(disabled_at, $3)
      WHERE id = $2 AND merchant_id = $1 RETURNING ${ENDPOINT_COLUMNS}`,
    [merchantId, id, now],
  )).rows[0];
}

/**
 * A new secret for an active endpoint; the current one keeps signing until `overlapUntil`
 * (a rotation during an overlap drops the oldest: at most two secrets sign at once).
 */
export async function rotateEndpointSecretRow(
  q: Queryable, r: { merchantId: string; id: string; secretSealed: string; overlapUntil: Date },
): Promise<EndpointRow | undefined> {
  return (await q.query<EndpointRow>(
    `UPDATE webhook_endpoints SET previous_secret_sealed = secret_sealed, previous_secret_until = $4, secret_sealed = $3
      WHERE id = $2 AND merchant_id = $1 AND status = 'active' RETURNING ${ENDPOINT_COLUMNS}`,
    [r.merchantId, r.id, r.secretSealed, r.overlapUntil],
  )).rows[0];
}

export async function listEndpointRows(q: Queryable, merchantId: string): Promise<EndpointRow[]> {
  return (await q.query<EndpointRow>(
    `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE merchant_id = $1 ORDER BY created_at, id`, [merchantId],
  )).rows;
}

export async function activeEndpointIds(q: Queryable, merchantId: string): Promise<string[]> {
  return (await q.query<{ id: string }>(
    `SELECT id FROM webhook_endpoints WHERE merchant_id = $1 AND status = 'active' ORDER BY created_at, id`, [merchantId],
  )).rows.map((r) => r.id);
}

export async function insertEvent(q: Queryable, e: { id: string; merchantId: string; type: MerchantEventType; payload: Readonly<Record<string, unknown>>; at: Date }): Promise<void> {
  await q.query(
    `INSERT INTO webhook_events (id, merchant_id, type, payload, created_at) VALUES ($1, $2, $3, $4, $5)`,
    [e.id, e.merchantId, e.type, JSON.stringify(e.payload), e.at],
  );
}

/**
 * Several events in one statement (a batch of payments), which also answers the active
 * endpoints of their merchants: the round trip that records them finds where they go.
 */
export async function insertEventsFindingEndpoints(
  q: Queryable, events: readonly { id: string; merchantId: string; type: MerchantEventType; payload: Readonly<Record<string, unknown>>; at: Date }[],
): Promise<{ id: string; merchant_id: string }[]> {
  return (await q.query<{ id: string; merchant_id: string }>({
    name: 'webhooks.insert-events',
    text: `WITH inserted AS (
             INSERT INTO webhook_events (id, merchant_id, type, payload, created_at)
             SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::jsonb[], $5::timestamptz[]))
           SELECT id, merchant_id FROM webhook_endpoints
            WHERE merchant_id = ANY($2::uuid[]) AND status = 'active' ORDER BY created_at, id`,
    values: [events.map((e) => e.id), events.map((e) => e.merchantId), events.map((e) => e.type), events.map((e) => JSON.stringify(e.payload)), events.map((e) => e.at)],
  })).rows;
}

export async function findEvent(q: Queryable, id: string): Promise<EventRow | undefined> {
  return (await q.query<EventRow>(`SELECT id, merchant_id, type, payload, created_at FROM webhook_events WHERE id = $1`, [id])).rows[0];
}

export async function findDeliveryTarget(q: Queryable, eventId: string, endpointId: string): Promise<DeliveryTarget | undefined> {
  const event = await findEvent(q, eventId);
  const endpoint = (await q.query<DeliveryTarget['endpoint']>(
    `SELECT ${ENDPOINT_COLUMNS}, secret_sealed, previous_secret_sealed, previous_secret_until FROM webhook_endpoints WHERE id = $1`, [endpointId],
  )).rows[0];
  return event && endpoint ? { event, endpoint } : undefined;
}

export async function insertDelivery(q: Queryable, d: {
  id: string; eventId: string; endpointId: string; merchantId: string; outboxId: string; attempt: number;
  outcome: DeliveryOutcome; httpStatus: number | null; error: string | null; durationMs: number; at: Date;
}): Promise<void> {
  await q.query(
    `INSERT INTO webhook_deliveries (id, event_id, endpoint_id, merchant_id, outbox_id, attempt, outcome, http_status, error, duration_ms, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [d.id, d.eventId, d.endpointId, d.merchantId, d.outboxId, d.attempt, d.outcome, d.httpStatus, d.error, d.durationMs, d.at],
  );
}

/** The merchant's delivery log, newest first (ids are UUIDv7, so they order attempts made at the same instant). */
export async function listDeliveryRows(q: Queryable, merchantId: string, limit: number): Promise<DeliveryLogRow[]> {
  return (await q.query<DeliveryLogRow>(
    `SELECT d.id, d.event_id, ev.type AS event_type, d.endpoint_id, ep.url, d.outbox_id, d.attempt, d.outcome,
            d.http_status, d.error, d.duration_ms, d.at
       FROM webhook_deliveries d
       JOIN webhook_events ev ON ev.id = d.event_id
       JOIN webhook_endpoints ep ON ep.id = d.endpoint_id
      WHERE d.merchant_id = $1
      ORDER BY d.at DESC, d.id DESC LIMIT $2`,
    [merchantId, limit],
  )).rows;
}
