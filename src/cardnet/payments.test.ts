import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticated, authorise, startTestCardnet, WEBHOOK_SECRET, type TestCardnet } from '../../test/harness/cardnet.js';
import { simulatorClient } from '../cards/psp/simulator-client.js';
import { verifyWebhook } from '../cards/psp/webhook-verify.js';
import { TEST_CARDS } from './test-cards.js';

let c: TestCardnet;
beforeAll(async () => {
  c = await startTestCardnet({ timeoutDelayMs: 800 });
});
afterAll(() => c.stop());

let n = 0;
const ref = (what: string) => `${what}_${process.pid}_${++n}`;
const post = (url: string, payload: object) => c.cardnet.app.inject({ method: 'POST', url, payload });

async function authorised(number: string, amount = 5000) {
  const { card, auth } = await authenticated(c, number, amount);
  const reference = ref('pay');
  const res = await authorise(c, { reference, token: card.token, authenticationId: auth.id, amount });
  return { res, reference, card, auth, amount };
}

describe('authorisation by test card', () => {
  it.each([
    ['4000000000001000', 'authorized', null],
    ['4000000000002008', 'authorized', null],
    ['4000000000004004', 'declined', 'insufficient_funds'],
    ['4000000000005001', 'declined', 'stolen_card'],
    ['4000000000006009', 'declined', 'incorrect_cvc'],
    ['4000000000008005', 'authorized', null],
  ])('%s → %s %s', async (number, status, declineCode) => {
    const { res } = await authorised(number);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status, declineCode, amount: 5000, captured: 0 });
  });

  it('documents every test card in docs/cardnet.md', async () => {
    const { readFile } = await import('node:fs/promises');
    const doc = await readFile(new URL('../../docs/cardnet.md', import.meta.url), 'utf8');
    for (const [pan, profile] of Object.entries(TEST_CARDS)) {
      expect(doc).toContain(pan.replace(/(\d{4})(?=\d)/g, '$1 '));
      expect(doc).toContain(`\`${profile}\``);
    }
  });
});

describe('capture, void, refund', () => {
  it('captures, refunds in parts, and never more than captured', async () => {
    const { reference } = await authorised('4000000000002008', 10_000);
    const cap = await post(`/cardnet/v1/payments/${reference}/capture`, { reference: ref('cap') });
    expect(cap.json()).toMatchObject({ status: 'captured', captured: 10_000 });
    const r1 = await post(`/cardnet/v1/payments/${reference}/refund`, { reference: ref('ref'), amount: 4000 });
    expect(r1.json()).toMatchObject({ refunded: 4000 });
    const tooMuch = await post(`/cardnet/v1/payments/${reference}/refund`, { reference: ref('ref'), amount: 6001 });
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.json()).toMatchObject({ code: 'amount_too_large', max: 6000 });
    const rest = await post(`/cardnet/v1/payments/${reference}/refund`, { reference: ref('ref'), amount: 6000 });
    expect(rest.json()).toMatchObject({ refunded: 10_000 });
  });

  it('replays an operation retried with the same reference, refuses it with another body', async () => {
    const { reference } = await authorised('4000000000002008', 10_000);
    await post(`/cardnet/v1/payments/${reference}/capture`, { reference: ref('cap') });
    const refundRef = ref('ref');
    const first = await post(`/cardnet/v1/payments/${reference}/refund`, { reference: refundRef, amount: 3000 });
    const again = await post(`/cardnet/v1/payments/${reference}/refund`, { reference: refundRef, amount: 3000 });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ refunded: 3000 });
    expect(first.json()).toMatchObject({ refunded: 3000 });
    const other = await post(`/cardnet/v1/payments/${reference}/refund`, { reference: refundRef, amount: 2000 });
    expect(other.statusCode).toBe(409);
    expect(other.json()).toMatchObject({ code: 'reference_reused' });
  });

  it('replays a retried authorisation instead of authorising twice', async () => {
    const { res, reference, card, auth, amount } = await authorised('4000000000002008');
    const again = await authorise(c, { reference, token: card.token, authenticationId: auth.id, amount });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(res.json());
  });

  it('voids an authorisation, after which it cannot be captured', async () => {
    const { reference } = await authorised('4000000000002008');
    expect((await post(`/cardnet/v1/payments/${reference}/void`, { reference: ref('void') })).json()).toMatchObject({ status: 'voided' });
    const cap = await post(`/cardnet/v1/payments/${reference}/capture`, { reference: ref('cap') });
    expect(cap.statusCode).toBe(409);
    expect(cap.json()).toMatchObject({ code: 'invalid_state' });
  });

  it('cannot capture a declined payment', async () => {
    const { reference } = await authorised('4000000000004004');
    expect((await post(`/cardnet/v1/payments/${reference}/capture`, { reference: ref('cap') })).json()).toMatchObject({ code: 'invalid_state' });
  });
});

describe('network timeout card', () => {
  it('performs the authorisation but answers too late; the client reconciles by reading it back', async () => {
    const client = simulatorClient({ baseUrl: c.cardnet.url, timeoutMs: 200 });
    const { card, auth } = await authenticated(c, '4000000000007007', 7000);
    const reference = ref('pay');
    const lost = await client.authorise({ reference, token: card.token, authenticationId: auth.id, amount: 7000 });
    expect(lost).toEqual({ kind: 'timeout' });
    const read = await client.getPayment(reference);
    expect(read).toMatchObject({ kind: 'ok', value: { reference, status: 'authorized', amount: 7000 } });
    // A retry with the same reference answers the same payment at once: never a second charge.
    const retry = await client.authorise({ reference, token: card.token, authenticationId: auth.id, amount: 7000 });
    expect(retry).toMatchObject({ kind: 'ok', value: { id: read.kind === 'ok' ? read.value.id : '' } });
    await new Promise((r) => setTimeout(r, 700)); // let the late answer finish before the server closes
  });
});

describe('chargebacks and settlement', () => {
  it('announces the chargeback card’s chargeback the next day by signed webhook, and lists it in the settlement file', async () => {
    const { reference } = await authorised('4000000000008005', 9000);
    await post(`/cardnet/v1/payments/${reference}/capture`, { reference: ref('cap') });
    expect(await c.cardnet.tick()).toEqual({ chargebacks: 0, delivered: 0 });
    const captureDay = c.clock.now().toISOString().slice(0, 10);
    c.clock.advance(86_400_000);
    expect(await c.cardnet.tick()).toEqual({ chargebacks: 1, delivered: 1 });

    const hook = c.webhooks.at(-1)!;
    const event = JSON.parse(hook.body) as { type: string; data: { payment: { reference: string; status: string }; chargeback: { amount: number } } };
    expect(event).toMatchObject({ type: 'payment.charged_back', data: { payment: { reference, status: 'charged_back' }, chargeback: { amount: 9000 } } });
    expect(verifyWebhook(WEBHOOK_SECRET, hook.headers['cardnet-signature'] as string, hook.body, c.clock.now())).toEqual({ kind: 'valid' });
    expect(await c.cardnet.tick()).toEqual({ chargebacks: 0, delivered: 0 }); // delivered once

    const day1 = await c.cardnet.app.inject({ method: 'GET', url: `/cardnet/v1/settlements/${captureDay}` });
    expect(day1.headers['content-type']).toMatch(/^text\/csv/);
    expect(day1.body).toMatch(new RegExp(`,capture,[^,]+,${reference},9000\\r\\n`));
    const day2 = await c.cardnet.app.inject({ method: 'GET', url: `/cardnet/v1/settlements/${c.clock.now().toISOString().slice(0, 10)}` });
    expect(day2.body.split('\r\n')[0]).toBe('at,kind,reference,payment_reference,amount_jpy');
    expect(day2.body).toMatch(new RegExp(`,chargeback,[^,]+,${reference},-9000\\r\\n`));
    expect(day2.body).toMatch(/,net,,,-9000\r\n$/);
  });
});
