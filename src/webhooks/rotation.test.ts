/**
 * Rotating an endpoint's signing secret without a gap: the new secret is answered once;
 * while the overlap lasts every delivery carries a signature with each secret (either
 * verifies, so the merchant switches when it suits them); afterwards the old one is gone.
 * A leaked secret is rotated with no overlap.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/harness/webhook-receiver.js';
import { emit, merchantWithEndpoint, opsRequest } from '../../test/harness/webhooks.js';
import { ManualClock } from '../shared/clock.js';
import { verifyKonpaySignature } from './signature.js';

const clock = new ManualClock('2026-03-02T03:00:00Z');
let t: TestKonpay;
let receiver: WebhookReceiver;
beforeAll(async () => { t = await startTestKonpay({}, { worker: false, clock }); });
afterAll(() => t?.stop());
beforeEach(async () => { receiver = await startWebhookReceiver(); });
afterEach(() => receiver.close());

interface Rotated { id: string; secret: string; previousValidUntil: string }
const rotate = (merchantId: string, endpointId: string, body: object) =>
  opsRequest<Rotated & { code?: string }>(t, 'POST', `/ops/v1/merchants/${merchantId}/webhook-endpoints/${endpointId}/rotate-secret`, body);

/** The next delivery's signature header and body, and what each secret makes of it. */
async function deliverOnce(merchantId: string, secrets: Record<string, string>) {
  await emit(t, merchantId);
  await t.konpay.worker.runOnce();
  const req = receiver.requests.at(-1)!;
  const header = req.headers['konpay-signature'] as string;
  const checks = Object.fromEntries(Object.entries(secrets).map(([name, s]) => [name, verifyKonpaySignature(s, header, req.body, clock.now()).kind]));
  return { v1: header.split(',').filter((p) => p.startsWith('v1=')).length, checks };
}

describe('webhook secret rotation', () => {
  it('signs with both secrets during the overlap, then with the new one only', async () => {
    const { merchantId, endpointId, secret: old } = await merchantWithEndpoint(t, receiver.url);
    const r = await rotate(merchantId, endpointId, { overlapHours: 24 });
    expect(r.status).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.json.secret).toMatch(/^whsec_/);
    expect(r.json.secret).not.toBe(old);
    expect(r.json.previousValidUntil).toBe(new Date(clock.now().getTime() + 24 * 3_600_000).toISOString());
    const fresh = r.json.secret;

    expect(await deliverOnce(merchantId, { old, fresh })).toEqual({ v1: 2, checks: { old: 'valid', fresh: 'valid' } });
    clock.advance(24 * 3_600_000 + 1000);
    expect(await deliverOnce(merchantId, { old, fresh })).toEqual({ v1: 1, checks: { old: 'invalid', fresh: 'valid' } });
    // Secrets are answered once, never listed, never logged.
    const listed = await opsRequest(t, 'GET', `/ops/v1/merchants/${merchantId}/webhook-endpoints`);
    expect(JSON.stringify(listed.json)).not.toContain(fresh);
    expect(t.logs.text).not.toContain(fresh);
    expect(t.logs.text).not.toContain(old);
  });

  it('drops a leaked secret at once with no overlap; a second rotation keeps at most two secrets', async () => {
    const { merchantId, endpointId, secret: leaked } = await merchantWithEndpoint(t, receiver.url);
    const first = (await rotate(merchantId, endpointId, { overlapHours: 0 })).json.secret;
    expect(await deliverOnce(merchantId, { leaked, first })).toEqual({ v1: 1, checks: { leaked: 'invalid', first: 'valid' } });
    const second = (await rotate(merchantId, endpointId, {})).json.secret; // the default overlap: 24 h
    expect(await deliverOnce(merchantId, { leaked, first, second })).toEqual({ v1: 2, checks: { leaked: 'invalid', first: 'valid', second: 'valid' } });
  });

  it('refuses another merchant\'s endpoint, a disabled one and a bad overlap', async () => {
    const a = await merchantWithEndpoint(t, receiver.url, 'Mart A');
    const b = await merchantWithEndpoint(t, receiver.url, 'Mart B');
    expect((await rotate(b.merchantId, a.endpointId, {})).json.code).toBe('webhook_endpoint_not_found');
    expect((await rotate(a.merchantId, a.endpointId, { overlapHours: 169 })).status).toBe(400);
    expect((await rotate(a.merchantId, a.endpointId, { overlapHours: -1 })).status).toBe(400);
    expect((await opsRequest(t, 'DELETE', `/ops/v1/merchants/${a.merchantId}/webhook-endpoints/${a.endpointId}`)).status).toBe(200);
    expect((await rotate(a.merchantId, a.endpointId, {})).json.code).toBe('webhook_endpoint_not_found');
  });
});
