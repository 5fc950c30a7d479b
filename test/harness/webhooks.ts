/** Merchant webhooks in tests: the operator API by inject, events emitted in a transaction, the outbox driven by a manual clock. */
import { withTransaction } from '../../src/db/tx.js';
import type { ManualClock } from '../../src/shared/clock.js';
import { emitMerchantEvent } from '../../src/webhooks/emit.js';
import type { MerchantEventType } from '../../src/webhooks/events.js';
import type { TestKonpay } from './konpay.js';

/** `T` is what the test expects the body to be; nothing checks it but the test's own assertions. */
export interface OpsAnswer<T> { status: number; json: T; headers: Record<string, string | string[] | number | undefined> }

/** A request to the operator API with the server's operator token (or the one given; null: none). */
export async function opsRequest<T = Record<string, unknown>>(
  t: TestKonpay, method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown, token: string | null = t.config.secrets.operatorApiToken!,
): Promise<OpsAnswer<T>> {
  const r = await t.konpay.app.inject({
    method, url,
    headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  return { status: r.statusCode, json: (r.body ? r.json() : undefined) as T, headers: r.headers };
}

/** A merchant with one webhook endpoint at `url`; answers the ids and the signing secret. */
export async function merchantWithEndpoint(t: TestKonpay, url: string, name = 'Konbini Mart'): Promise<{ merchantId: string; endpointId: string; secret: string }> {
  const m = await opsRequest<{ id: string }>(t, 'POST', '/ops/v1/merchants', { name });
  if (m.status !== 201) throw new Error(`merchant: ${m.status}`);
  const e = await opsRequest<{ id: string; secret: string }>(t, 'POST', `/ops/v1/merchants/${m.json.id}/webhook-endpoints`, { url });
  if (e.status !== 201) throw new Error(`endpoint: ${e.status} ${JSON.stringify(e.json)}`);
  return { merchantId: m.json.id, endpointId: e.json.id, secret: e.json.secret };
}

export function samplePayment(n = 1) {
  return {
    payment: {
      id: `pay_019ab5c4e2d07c3a9e51f0b2d4c6a${String(900 + n).padStart(3, '0')}`, storeId: 'sto_019ab5c4e2d07c3a9e51f0b2d4c6a8e4',
      orderId: `A-${n}`, amount: 1280, refunded: 0, status: 'approved', createdAt: '2026-03-02T03:00:00.000Z',
    },
  };
}

/** Emits an event in a transaction of its own, as the payments module would in its. */
export function emit(t: TestKonpay, merchantId: string, type: MerchantEventType = 'payment.approved', data: Record<string, unknown> = samplePayment()) {
  return withTransaction(t.konpay.pool, (c) =>
    emitMerchantEvent({ outbox: t.konpay.outbox }, c, { merchantId: merchantId as `mer_${string}`, type, data, now: t.konpay.identity.clock.now() }));
}

/** Moves the clock to the next webhook message due and runs the worker once; false when none is pending. */
export async function runNextDue(t: TestKonpay, clock: ManualClock): Promise<boolean> {
  const next = (await t.konpay.pool.query<{ at: Date | null }>(
    `SELECT min(next_attempt_at) AS at FROM outbox WHERE topic = 'merchant.webhook' AND status = 'pending'`,
  )).rows[0]!.at;
  if (!next) return false;
  if (next > clock.now()) clock.set(next);
  await t.konpay.worker.runOnce();
  return true;
}

export async function outboxRows(t: TestKonpay): Promise<{ id: string; status: string; attempts: number; payload: unknown; last_error: string | null }[]> {
  return (await t.konpay.pool.query(
    `SELECT id, status, attempts, payload, last_error FROM outbox WHERE topic = 'merchant.webhook' ORDER BY created_at, id`,
  )).rows;
}
