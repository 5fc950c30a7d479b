import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, messagesTo } from '../../test/harness/customer.js';
import type { TestKonpay } from '../../test/harness/konpay.js';
import { addCard, CARDS, customer, getTopup, ledgerBalanced, passChallenge, requestTopup, startWalletKonpay, topUp, walletOf } from '../../test/harness/wallet.js';

let t: TestKonpay;
beforeAll(async () => { t = await startWalletKonpay(); });
afterAll(() => t?.stop());

describe('card top-up', () => {
  it('credits the wallet only after the challenge and the capture', async () => {
    const c = await customer(t);
    const card = await addCard(t, c);
    expect(card.status).toBe('active');
    const res = await requestTopup(t, c, card.id, 5000);
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json() as { id: string; status: string; nextAction: { url: string } };
    expect(created.status).toBe('requires_action');
    expect(await walletOf(t, c)).toMatchObject({ balance: 0, pendingIn: 5000 });

    const { returned } = await passChallenge(t, created.nextAction.url, c);
    expect(returned!.statusCode).toBe(200);
    expect(returned!.body).toContain('¥5,000');
    expect(await getTopup(t, c, created.id)).toMatchObject({ status: 'succeeded', amount: 5000 });
    expect(await walletOf(t, c)).toMatchObject({ balance: 5000, available: 5000, pendingIn: 0 });
    expect(await ledgerBalanced(t)).toBe(true);
    const mail = (await messagesTo(t, c.email)).find((m) => m.subject?.includes('Top-up from your card'));
    expect(mail?.body).toContain('¥5,000');
    expect(mail?.body).toContain('/v1/freeze?token=');
  });

  it('another top-up is challenged again, and the network is charged once', async () => {
    const c = await customer(t);
    const card = await addCard(t, c);
    const a = await topUp(t, c, card.id, 3000);
    const b = await topUp(t, c, card.id, 2000);
    expect([a.status, b.status]).toEqual(['succeeded', 'succeeded']);
    expect((await walletOf(t, c)).balance).toBe(5000);
  });
});

describe('idempotency (WAL-2)', () => {
  it('a retry with the same key answers the first top-up; another body under that key is refused', async () => {
    const c = await customer(t);
    const card = await addCard(t, c);
    const first = await requestTopup(t, c, card.id, 4000, 'same-key-1');
    const again = await requestTopup(t, c, card.id, 4000, 'same-key-1');
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect((await walletOf(t, c)).pendingIn).toBe(4000);
    const other = await requestTopup(t, c, card.id, 4500, 'same-key-1');
    expect(other.statusCode).toBe(409);
    expect(other.json()).toMatchObject({ code: 'idempotency_key_reused' });
  });

  it('a top-up without a key is refused before anything happens', async () => {
    const c = await customer(t);
    const card = await addCard(t, c);
    const res = await t.konpay.app.inject({ method: 'POST', url: '/v1/topups', headers: bearer(c.token), payload: { cardId: card.id, amount: 1000 } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'idempotency_key_required' });
    expect(await walletOf(t, c)).toMatchObject({ balance: 0, pendingIn: 0 });
  });

  it('a refusal is also kept: the retry gets the same problem', async () => {
    const c = await customer(t);
    const card = await addCard(t, c);
    const a = await requestTopup(t, c, card.id, 500, 'too-small');
    const b = await requestTopup(t, c, card.id, 500, 'too-small');
    expect(a.statusCode).toBe(422);
    expect(a.json()).toMatchObject({ code: 'topup_limit_exceeded', reason: 'below_minimum', limit: 1000 });
    expect(b.json()).toEqual(a.json());
  });
});

describe('refusals and failures', () => {
  it('a top-up the issuer declines fails and credits nothing', async () => {
    const c = await customer(t);
    // The ¥1 verification checks the card, not the funds: it passes; the top-up is declined.
    const card = await addCard(t, c, CARDS.insufficientFunds);
    expect(card.status).toBe('active');
    const topup = await topUp(t, c, card.id, 2000);
    expect(topup).toMatchObject({ status: 'failed', failureCode: 'insufficient_funds' });
    expect(await walletOf(t, c)).toMatchObject({ balance: 0, pendingIn: 0 });
    expect(await ledgerBalanced(t)).toBe(true);
  });

  it('a stolen card never gets on the account', async () => {
    const c = await customer(t);
    const card = await addCard(t, c, CARDS.stolen);
    expect(card).toMatchObject({ status: 'failed', failureCode: 'stolen_card' });
    const res = await requestTopup(t, c, card.id, 2000);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'topup_card_not_usable' });
  });

  it('a failed challenge fails the top-up; the pending credit is voided', async () => {
    const c = await customer(t);
    const card = await addCard(t, c);
    const res = await requestTopup(t, c, card.id, 3000);
    const created = res.json() as { id: string; nextAction: { url: string } };
    for (let i = 0; i < 5; i++) await passChallenge(t, created.nextAction.url, c, '000000');
    await t.konpay.app.inject({ method: 'POST', url: `/v1/topups/${created.id}/confirm`, headers: bearer(c.token) });
    expect(await getTopup(t, c, created.id)).toMatchObject({ status: 'failed', failureCode: 'three_ds_failed' });
    expect(await walletOf(t, c)).toMatchObject({ balance: 0, pendingIn: 0 });
    expect(await ledgerBalanced(t)).toBe(true);
  });

  it('the customer can cancel while the challenge is open, not after', async () => {
    const c = await customer(t);
    const card = await addCard(t, c);
    const created = (await requestTopup(t, c, card.id, 3000)).json() as { id: string };
    const canceled = await t.konpay.app.inject({ method: 'POST', url: `/v1/topups/${created.id}/cancel`, headers: bearer(c.token) });
    expect(canceled.json()).toMatchObject({ status: 'canceled', failureCode: 'canceled_by_customer', nextAction: null });
    const again = await t.konpay.app.inject({ method: 'POST', url: `/v1/topups/${created.id}/cancel`, headers: bearer(c.token) });
    expect(again.statusCode).toBe(409);
    expect(await walletOf(t, c)).toMatchObject({ pendingIn: 0 });
  });

  it('someone else\'s top-up is not found', async () => {
    const a = await customer(t);
    const b = await customer(t);
    const card = await addCard(t, a);
    const created = (await requestTopup(t, a, card.id, 1000)).json() as { id: string };
    const peek = await t.konpay.app.inject({ method: 'GET', url: `/v1/topups/${created.id}`, headers: bearer(b.token) });
    expect(peek.statusCode).toBe(404);
    const use = await requestTopup(t, b, card.id, 1000);
    expect(use.json()).toMatchObject({ code: 'topup_card_not_usable' });
  });

  it('the balance limit counts top-ups still in flight', async () => {
    const c = await customer(t);
    const card = await addCard(t, c);
    expect((await topUp(t, c, card.id, 30_000)).status).toBe('succeeded');
    expect((await requestTopup(t, c, card.id, 20_000)).statusCode).toBe(201); // 50,000 in 24 h: the daily limit is now used up
    const over = await requestTopup(t, c, card.id, 1000);
    expect(over.json()).toMatchObject({ code: 'topup_limit_exceeded', reason: 'daily_limit', remaining: 0 });
  });
});
