/**
 * The wiring of PAY-3 to the till: a real payment, its cancellation and a refund made
 * through the signed POS API reach the merchant's receiver as signed events, and a
 * declined payment announces nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestKonpay } from '../../test/harness/konpay.js';
import { cancel, codeOf, pay, payerWith, refund, type PosPayment } from '../../test/harness/payments.js';
import { startTill, type TestTerminal } from '../../test/harness/pos.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/harness/webhook-receiver.js';
import { opsRequest } from '../../test/harness/webhooks.js';
import { ManualClock } from '../shared/clock.js';
import { verifyKonpaySignature } from './signature.js';

const clock = new ManualClock('2026-11-25T01:00:00Z'); // 10:00 JST
let t: TestKonpay;
let term: TestTerminal;
let receiver: WebhookReceiver;
let secret: string;

beforeAll(async () => {
  ({ t, term } = await startTill(clock));
  receiver = await startWebhookReceiver();
  const e = await opsRequest<{ secret: string }>(t, 'POST', `/ops/v1/merchants/${term.merchantId}/webhook-endpoints`, { url: receiver.url });
  secret = e.json.secret;
});
afterAll(async () => {
  await receiver?.close();
  await t?.stop();
});

interface Body { id: string; type: string; data: { payment: { id: string; storeId: string; amount: number; refunded: number; status: string } } }

async function deliveredBodies(): Promise<Body[]> {
  await t.konpay.worker.runOnce();
  for (const r of receiver.requests) expect(verifyKonpaySignature(secret, r.headers['konpay-signature'] as string, r.body, clock.now()).kind).toBe('valid');
  return receiver.requests.map((r) => JSON.parse(r.body) as Body);
}

describe('payment events', () => {
  it('approved, canceled and refunded payments are announced to the merchant; a declined one is not', async () => {
    const who = await payerWith(t, term, 5000);
    const paid = await pay(term, await codeOf(t, who), 1280);
    expect(paid.status, JSON.stringify(paid.json)).toBe(201);
    const p = paid.json as PosPayment;
    let bodies = await deliveredBodies();
    expect(bodies).toEqual([expect.objectContaining({ type: 'payment.approved', data: expect.objectContaining({ payment: expect.objectContaining({ id: p.id, storeId: term.storeId, amount: 1280, status: 'approved' }) }) })]);

    const declined = await pay(term, await codeOf(t, who), 999_999);
    expect(declined.status).not.toBe(201);
    expect(await deliveredBodies()).toHaveLength(1);

    const second = (await pay(term, await codeOf(t, who), 1000)).json as PosPayment;
    expect((await refund(term, second.id, 300)).status).toBeLessThan(300);
    expect((await cancel(term, p.id)).status).toBeLessThan(300);
    bodies = await deliveredBodies();
    // Deliveries run side by side: the order of arrival is not promised (docs say so).
    expect(bodies.slice(1).map((b) => `${b.type} ${b.data.payment.id}`).sort()).toEqual([
      `payment.approved ${second.id}`, `payment.canceled ${p.id}`, `payment.refunded ${second.id}`,
    ].sort());
    expect(bodies.find((b) => b.type === 'payment.refunded')!.data.payment.refunded).toBe(300);
    expect(new Set(bodies.map((b) => b.id)).size).toBe(4);
  });
});
