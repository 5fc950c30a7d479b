/**
 * Merchant webhooks end to end (PAY-3): events emitted in a transaction, delivered by
 * the outbox worker to a real HTTP receiver, retried on the manual clock, logged, and
 * replayed from the operator API.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/harness/webhook-receiver.js';
import { emit, merchantWithEndpoint, opsRequest, outboxRows, runNextDue, samplePayment } from '../../test/harness/webhooks.js';
import { backoffMs } from '../outbox/outbox.js';
import { ManualClock } from '../shared/clock.js';
import { WEBHOOK_RETRY } from './delivery.js';
import { verifyKonpaySignature } from './signature.js';

const clock = new ManualClock('2026-03-02T03:00:00Z');
let t: TestKonpay;
let receiver: WebhookReceiver;

beforeAll(async () => {
  // A short timeout so the test of a silent receiver takes a moment, not 10 s.
  t = await startTestKonpay({ WEBHOOK_TIMEOUT_MS: '400' }, { worker: false, clock });
});
afterAll(() => t.stop());
beforeEach(async () => {
  receiver = await startWebhookReceiver();
});
afterEach(() => receiver.close());

interface Delivery { eventId: string; attempt: number; outcome: string; httpStatus: number | null; error: string | null; messageId: string; durationMs: number }
const deliveries = async (merchantId: string) =>
  (await opsRequest<{ deliveries: Delivery[] }>(t, 'GET', `/ops/v1/merchants/${merchantId}/webhook-deliveries?limit=200`)).json.deliveries;

describe('delivery', () => {
  it('POSTs the event as JSON with a valid Konpay-Signature, signed at send time', async () => {
    const { merchantId, secret } = await merchantWithEndpoint(t, receiver.url);
    const { eventId, endpoints } = await emit(t, merchantId, 'payment.approved', samplePayment(1));
    expect(endpoints).toBe(1);
    expect(eventId).toMatch(/^evt_[0-9a-f]{32}$/);
    clock.advance(7_000); // the send happens later than the event: the signature carries the send time
    await t.konpay.worker.runOnce();

    expect(receiver.requests).toHaveLength(1);
    const req = receiver.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req.body)).toEqual({ id: eventId, type: 'payment.approved', createdAt: '2026-03-02T03:00:00.000Z', data: samplePayment(1) });
    const header = req.headers['konpay-signature'] as string;
    expect(header).toMatch(new RegExp(`^t=${Math.floor(clock.now().getTime() / 1000)},v1=[0-9a-f]{64}$`));
    expect(verifyKonpaySignature(secret, header, req.body, clock.now())).toEqual({ kind: 'valid', t: Math.floor(clock.now().getTime() / 1000) });
    expect(verifyKonpaySignature(secret, header, req.body.replace('1280', '1'), clock.now())).toEqual({ kind: 'invalid', why: 'signature' });
    expect(verifyKonpaySignature('whsec_other', header, req.body, clock.now())).toEqual({ kind: 'invalid', why: 'signature' });

    expect(await deliveries(merchantId)).toEqual([expect.objectContaining({ eventId, attempt: 1, outcome: 'delivered', httpStatus: 204, error: null })]);
    expect((await outboxRows(t)).at(-1)).toMatchObject({ status: 'sent', attempts: 1, payload: null });
  });

  it('sends one message per active endpoint of the merchant, and none to other merchants', async () => {
    const other = await startWebhookReceiver();
    try {
      const { merchantId } = await merchantWithEndpoint(t, receiver.url);
      await opsRequest(t, 'POST', `/ops/v1/merchants/${merchantId}/webhook-endpoints`, { url: other.url });
      const stranger = await merchantWithEndpoint(t, `${receiver.url}/stranger`);
      const { eventId, endpoints } = await emit(t, merchantId, 'payment.canceled');
      expect(endpoints).toBe(2);
      await t.konpay.worker.runOnce();
      expect(receiver.requests.map((r) => JSON.parse(r.body).id)).toEqual([eventId]);
      expect(other.requests.map((r) => JSON.parse(r.body).id)).toEqual([eventId]);
      expect(await deliveries(stranger.merchantId)).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('retries a receiver that answers 500 twice, then 204: three attempts logged, delivered once', async () => {
    const { merchantId, secret } = await merchantWithEndpoint(t, receiver.url);
    receiver.script(500, 500, 204);
    const { eventId } = await emit(t, merchantId, 'payment.refunded');
    const start = clock.now().getTime();
    await t.konpay.worker.runOnce();
    expect(receiver.requests).toHaveLength(1);
    // Not before the back-off: a minute (±25 %) after the first failure.
    clock.advance(40_000);
    await t.konpay.worker.runOnce();
    expect(receiver.requests).toHaveLength(1);
    while (await runNextDue(t, clock));

    expect(receiver.requests).toHaveLength(3);
    expect(clock.now().getTime() - start).toBeGreaterThanOrEqual(0.75 * 60_000 + 0.75 * 120_000);
    const signatures = receiver.requests.map((r) => r.headers['konpay-signature']);
    expect(new Set(signatures).size).toBe(3); // each attempt signed afresh
    expect(new Set(receiver.requests.map((r) => r.body)).size).toBe(1); // the same bytes every time
    const last = receiver.requests[2]!;
    expect(verifyKonpaySignature(secret, last.headers['konpay-signature'] as string, last.body, clock.now())).toMatchObject({ kind: 'valid' });
    expect((await deliveries(merchantId)).map((d) => [d.eventId, d.attempt, d.outcome, d.httpStatus, d.error])).toEqual([
      [eventId, 3, 'delivered', 204, null],
      [eventId, 2, 'retrying', 500, 'HTTP 500'],
      [eventId, 1, 'retrying', 500, 'HTTP 500'],
    ]);
  });

  it('retries a receiver that never answers within the timeout', async () => {
    const { merchantId } = await merchantWithEndpoint(t, receiver.url);
    receiver.script('hang');
    await emit(t, merchantId);
    await t.konpay.worker.runOnce();
    let log = await deliveries(merchantId);
    expect(log).toEqual([expect.objectContaining({ attempt: 1, outcome: 'retrying', httpStatus: null, error: 'no answer within 400 ms' })]);
    expect(log[0]!.durationMs).toBeGreaterThanOrEqual(350);
    expect((await outboxRows(t)).at(-1)).toMatchObject({ status: 'pending', attempts: 1, last_error: 'webhook no answer within 400 ms' });

    await runNextDue(t, clock);
    log = await deliveries(merchantId);
    expect(log[0]).toMatchObject({ attempt: 2, outcome: 'delivered', httpStatus: 204 });
    expect(receiver.requests).toHaveLength(2);
  });

  it('gives up after the last of 26 attempts (≈ 3 days): the message is dead and the log says so; replay sends it again', async () => {
    const { merchantId, secret } = await merchantWithEndpoint(t, receiver.url);
    receiver.fallback = 503;
    const { eventId } = await emit(t, merchantId);
    const start = clock.now().getTime();
    while (await runNextDue(t, clock));
    const spanHours = (clock.now().getTime() - start) / 3_600_000;
    expect(receiver.requests).toHaveLength(WEBHOOK_RETRY.maxAttempts);
    expect(spanHours).toBeGreaterThan(60);
    expect(spanHours).toBeLessThan(84);

    const log = await deliveries(merchantId);
    expect(log).toHaveLength(26);
    expect(log[0]).toMatchObject({ eventId, attempt: 26, outcome: 'dead', httpStatus: 503, error: 'HTTP 503' });
    expect(log.slice(1).every((d) => d.outcome === 'retrying')).toBe(true);
    expect((await outboxRows(t)).at(-1)).toMatchObject({ status: 'dead', attempts: 26, payload: null, last_error: 'webhook HTTP 503' });

    // The merchant fixed their receiver; an operator replays the event.
    receiver.fallback = 204;
    clock.advance(3_600_000);
    const replay = await opsRequest(t, 'POST', `/ops/v1/webhooks/events/${eventId}/replay`);
    expect(replay.status).toBe(202);
    expect(replay.json).toEqual({ eventId, merchantId, endpoints: 1 });
    await t.konpay.worker.runOnce();
    expect(receiver.requests).toHaveLength(27);
    const again = receiver.requests[26]!;
    expect(again.body).toBe(receiver.requests[0]!.body); // same event, same id: receivers deduplicate
    expect(again.headers['konpay-signature']).not.toBe(receiver.requests[25]!.headers['konpay-signature']);
    expect(verifyKonpaySignature(secret, again.headers['konpay-signature'] as string, again.body, clock.now()).kind).toBe('valid');
    const latest = (await deliveries(merchantId))[0]!;
    expect(latest).toMatchObject({ eventId, attempt: 1, outcome: 'delivered' });
    expect(latest.messageId).not.toBe(log[0]!.messageId);
  });

  it('a receiver nobody listens on is retried like one that fails', async () => {
    const { merchantId } = await merchantWithEndpoint(t, receiver.url);
    await receiver.close();
    await emit(t, merchantId);
    await t.konpay.worker.runOnce();
    expect((await deliveries(merchantId))[0]).toMatchObject({ outcome: 'retrying', httpStatus: null, error: expect.stringMatching(/^connection failed: /) });
    receiver = await startWebhookReceiver(); // for afterEach
  });
});

describe('the retry schedule', () => {
  it('spans about three days without jitter: 1 min doubling to 4 h, 26 attempts', () => {
    const waits = Array.from({ length: WEBHOOK_RETRY.maxAttempts - 1 }, (_, i) => backoffMs(WEBHOOK_RETRY, i + 1, () => 0.5));
    expect(waits.slice(0, 9).map((w) => w / 60_000)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 240]);
    const total = waits.reduce((a, b) => a + b, 0);
    expect(total / 3_600_000).toBeCloseTo(72.25, 2);
  });
});
