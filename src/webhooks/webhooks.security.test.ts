/**
 * Merchant webhooks under attack and misuse (PAY-3): the transactional outbox, disabled
 * endpoints, signatures that do not verify, endpoints of other merchants, and secrets
 * that must never reach a log, the outbox or an operator screen after the first answer.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/harness/webhook-receiver.js';
import { emit, merchantWithEndpoint, opsRequest, outboxRows, samplePayment } from '../../test/harness/webhooks.js';
import { withTransaction } from '../db/tx.js';
import { ManualClock } from '../shared/clock.js';
import { emitMerchantEvent } from './emit.js';
import { signKonpayWebhook, verifyKonpaySignature } from './signature.js';

const clock = new ManualClock('2026-03-02T03:00:00Z');
let t: TestKonpay;
let receiver: WebhookReceiver;

beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false, clock });
});
afterAll(() => t.stop());
beforeEach(async () => {
  receiver = await startWebhookReceiver();
});
afterEach(() => receiver.close());

const count = async (table: string) => (await t.konpay.pool.query<{ n: number }>(`SELECT count(*)::int8 AS n FROM ${table}`)).rows[0]!.n;

describe('transactional outbox', () => {
  it('an event emitted in a transaction that rolls back is never recorded nor delivered', async () => {
    const { merchantId } = await merchantWithEndpoint(t, receiver.url);
    const [events, messages] = [await count('webhook_events'), (await outboxRows(t)).length];
    await expect(withTransaction(t.konpay.pool, async (c) => {
      await emitMerchantEvent({ outbox: t.konpay.outbox }, c, { merchantId: merchantId as `mer_${string}`, type: 'payment.approved', data: samplePayment(), now: clock.now() });
      throw new Error('the payment failed after emitting');
    })).rejects.toThrow('the payment failed');
    expect(await count('webhook_events')).toBe(events);
    expect((await outboxRows(t)).length).toBe(messages);
    clock.advance(60_000);
    await t.konpay.worker.runOnce();
    expect(receiver.requests).toEqual([]);
  });

  it('refuses a malformed merchant id or event type from a caller (a bug), recording nothing', async () => {
    const events = await count('webhook_events');
    await expect(emit(t, 'sto_019ab5c4e2d07c3a9e51f0b2d4c6a8e4')).rejects.toThrow(/mer_/);
    await expect(emit(t, `mer_${'1'.repeat(32)}`, 'payment.stolen' as 'payment.approved')).rejects.toThrow(/unknown event type/);
    expect(await count('webhook_events')).toBe(events);
  });
});

describe('disabled endpoints', () => {
  it('receive nothing: not events emitted after, nor messages queued before the endpoint was disabled', async () => {
    const { merchantId, endpointId } = await merchantWithEndpoint(t, receiver.url);
    const queued = await emit(t, merchantId);
    expect(queued.endpoints).toBe(1);
    const off = await opsRequest(t, 'DELETE', `/ops/v1/merchants/${merchantId}/webhook-endpoints/${endpointId}`);
    expect(off.status).toBe(200);
    expect(off.json).toMatchObject({ id: endpointId, status: 'disabled', disabledAt: clock.now().toISOString() });
    expect(await emit(t, merchantId)).toMatchObject({ endpoints: 0 });
    await t.konpay.worker.runOnce();
    clock.advance(86_400_000);
    await t.konpay.worker.runOnce();
    expect(receiver.requests).toEqual([]);
    const log = await opsRequest<{ deliveries: unknown[] }>(t, 'GET', `/ops/v1/merchants/${merchantId}/webhook-deliveries`);
    expect(log.json.deliveries).toEqual([expect.objectContaining({ eventId: queued.eventId, outcome: 'skipped', error: 'endpoint disabled' })]);
    expect((await outboxRows(t)).at(-1)).toMatchObject({ status: 'dead', last_error: 'webhook endpoint disabled' });
    // …and a replay finds no active endpoint either.
    expect((await opsRequest(t, 'POST', `/ops/v1/webhooks/events/${queued.eventId}/replay`)).json).toMatchObject({ endpoints: 0 });
  });

  it('cannot be disabled, listed or replayed through another merchant', async () => {
    const a = await merchantWithEndpoint(t, receiver.url, 'Merchant A');
    const b = await merchantWithEndpoint(t, receiver.url, 'Merchant B');
    const cross = await opsRequest(t, 'DELETE', `/ops/v1/merchants/${b.merchantId}/webhook-endpoints/${a.endpointId}`);
    expect(cross.status).toBe(404);
    expect(cross.json).toMatchObject({ code: 'webhook_endpoint_not_found' });
    const listed = await opsRequest<{ endpoints: { id: string; status: string }[] }>(t, 'GET', `/ops/v1/merchants/${a.merchantId}/webhook-endpoints`);
    expect(listed.json.endpoints).toEqual([expect.objectContaining({ id: a.endpointId, status: 'active' })]);
    expect((await opsRequest(t, 'POST', `/ops/v1/webhooks/events/evt_${'0'.repeat(32)}/replay`)).json).toMatchObject({ code: 'webhook_event_not_found' });
    expect((await opsRequest(t, 'POST', `/ops/v1/webhooks/events/pay_${'0'.repeat(32)}/replay`)).status).toBe(404);
  });
});

describe('endpoint URLs', () => {
  it.each([
    ['ftp://files.example.jp/in', /must be http/],
    ['https://user:pass@shop.example.jp/hook', /user name or password/],
    ['/relative/path', /not an absolute URL/],
    ['https://shop.example.jp/hook#frag', /fragment/],
  ])('refuses %s', async (url, why) => {
    const { merchantId } = await merchantWithEndpoint(t, receiver.url);
    const r = await opsRequest(t, 'POST', `/ops/v1/merchants/${merchantId}/webhook-endpoints`, { url });
    expect(r.status).toBe(422);
    expect(r.json).toMatchObject({ code: 'webhook_url_refused', detail: expect.stringMatching(why) });
  });

  it('answers merchant_not_found for an unknown merchant', async () => {
    const r = await opsRequest(t, 'POST', `/ops/v1/merchants/mer_${'0'.repeat(32)}/webhook-endpoints`, { url: receiver.url });
    expect(r.status).toBe(404);
    expect(r.json).toMatchObject({ code: 'merchant_not_found' });
  });
});

describe('signatures (receiver side)', () => {
  const secret = 'whsec_test';
  const body = '{"id":"evt_1"}';
  const at = new Date('2026-03-02T03:00:00Z');

  it('refuse a replayed delivery older than the tolerance, a tampered body and malformed headers', () => {
    const header = signKonpayWebhook(secret, body, at);
    expect(verifyKonpaySignature(secret, header, body, new Date(at.getTime() + 299_000)).kind).toBe('valid');
    expect(verifyKonpaySignature(secret, header, body, new Date(at.getTime() + 301_000))).toEqual({ kind: 'invalid', why: 'stale' });
    expect(verifyKonpaySignature(secret, header, '{"id":"evt_2"}', at)).toEqual({ kind: 'invalid', why: 'signature' });
    // A timestamp moved forward breaks the MAC: it is signed too.
    const t = Number(/t=(\d+)/.exec(header)![1]);
    expect(verifyKonpaySignature(secret, header.replace(`t=${t}`, `t=${t + 600}`), body, new Date((t + 600) * 1000))).toEqual({ kind: 'invalid', why: 'signature' });
    for (const bad of [undefined, '', 'v1=abc', `t=${t}`, `t=x,v1=${'0'.repeat(64)}`, `t=${t},v1=${'Z'.repeat(64)}`]) {
      expect(verifyKonpaySignature(secret, bad, body, at)).toEqual({ kind: 'invalid', why: 'malformed' });
    }
  });
});

describe('secrets', () => {
  it('the signing secret is answered once: never listed, logged, queued or written to the delivery log', async () => {
    const { merchantId, endpointId, secret } = await merchantWithEndpoint(t, receiver.url);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    receiver.script(500);
    await emit(t, merchantId);
    await t.konpay.worker.runOnce();
    clock.advance(3_600_000);
    await t.konpay.worker.runOnce();
    expect(receiver.requests).toHaveLength(2);

    const listed = await opsRequest(t, 'GET', `/ops/v1/merchants/${merchantId}/webhook-endpoints`);
    const log = await opsRequest(t, 'GET', `/ops/v1/merchants/${merchantId}/webhook-deliveries`);
    const disabled = await opsRequest(t, 'DELETE', `/ops/v1/merchants/${merchantId}/webhook-endpoints/${endpointId}`);
    for (const r of [listed, log, disabled]) expect(JSON.stringify(r.json)).not.toContain(secret.slice(6));
    const tables = await t.konpay.pool.query(
      `SELECT (SELECT json_agg(o) FROM outbox o)::text AS outbox, (SELECT json_agg(d) FROM webhook_deliveries d)::text AS deliveries,
              (SELECT json_agg(e.secret_sealed) FROM webhook_endpoints e)::text AS sealed`,
    );
    const row = tables.rows[0] as { outbox: string; deliveries: string; sealed: string };
    for (const text of Object.values(row)) expect(text).not.toContain(secret.slice(6));
    expect(t.logs.text).not.toContain(secret.slice(6));
    expect(t.logs.text).toContain('operator action');
  });
});
