import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, messagesTo } from '../../test/harness/customer.js';
import type { TestKonpay } from '../../test/harness/konpay.js';
import { addCard, CARDS, customer, passChallenge, requestCard, startWalletKonpay, tokenise, uniqueCard } from '../../test/harness/wallet.js';

let t: TestKonpay;
beforeAll(async () => { t = await startWalletKonpay(); });
afterAll(() => t?.stop());

const cardsOf = async (token: string) =>
  ((await t.konpay.app.inject({ method: 'GET', url: '/v1/cards', headers: bearer(token) })).json() as { cards: { id: string; status: string }[] }).cards;

describe('adding a card (WAL-3)', () => {
  it('passes the issuer challenge and a ¥1 verification that is voided at once', async () => {
    const c = await customer(t);
    const { token } = await tokenise(t, uniqueCard(), c);
    const res = await requestCard(t, c, token);
    expect(res.statusCode, res.body).toBe(201);
    const { card, nextAction } = res.json() as { card: { id: string; status: string; last4: string }; nextAction: { type: string; url: string } };
    expect(card.status).toBe('pending');
    expect(nextAction.type).toBe('three_ds_challenge');
    expect(res.body).not.toContain(token); // the token stays between Konpay and the network

    const { returned } = await passChallenge(t, nextAction.url, c);
    expect(returned!.statusCode).toBe(200);
    expect(returned!.body).toContain('カードを登録しました');
    expect(await cardsOf(c.token)).toEqual([expect.objectContaining({ id: card.id, status: 'active' })]);

    const checks = await t.konpay.pool.query<{ amount: number; status: string }>(
      `SELECT amount, status FROM cardnet_payments WHERE reference = $1`, [`cardcheck_${card.id.slice(4)}`]);
    expect(checks.rows).toEqual([{ amount: 1, status: 'voided' }]);
    const mail = (await messagesTo(t, c.email)).find((m) => m.subject?.includes('A card was added'));
    expect(mail?.body).toContain('/v1/freeze?token=');
  });

  it('stays pending until the challenge passes; a failed challenge fails it', async () => {
    const c = await customer(t);
    const { token } = await tokenise(t, CARDS.challengeFails, c);
    const { card, nextAction } = (await requestCard(t, c, token)).json() as { card: { id: string }; nextAction: { url: string } };
    const early = await t.konpay.app.inject({ method: 'POST', url: `/v1/cards/${card.id}/verify`, headers: bearer(c.token) });
    expect(early.json()).toMatchObject({ status: 'pending' });
    await passChallenge(t, nextAction.url, c);
    const after = await t.konpay.app.inject({ method: 'POST', url: `/v1/cards/${card.id}/verify`, headers: bearer(c.token) });
    expect(after.json()).toMatchObject({ status: 'failed', failureCode: 'three_ds_failed' });
  });

  it('holds at most three cards; removing one makes room', async () => {
    const c = await customer(t);
    const cards = [await addCard(t, c), await addCard(t, c), await addCard(t, c)];
    expect(cards.map((x) => x.status)).toEqual(['active', 'active', 'active']);
    const { token } = await tokenise(t, uniqueCard(), c);
    const fourth = await requestCard(t, c, token);
    expect(fourth.statusCode).toBe(409);
    expect(fourth.json()).toMatchObject({ code: 'card_limit_reached', max: 3 });
    const removed = await t.konpay.app.inject({ method: 'DELETE', url: `/v1/cards/${cards[0]!.id}`, headers: bearer(c.token) });
    expect(removed.statusCode).toBe(204);
    expect((await requestCard(t, c, token)).statusCode).toBe(201);
  });

  it('the same card twice on one account is refused politely', async () => {
    const c = await customer(t);
    const number = uniqueCard();
    await addCard(t, c, number);
    const { token } = await tokenise(t, number, c);
    const again = await requestCard(t, c, token);
    expect(again.json()).toMatchObject({ code: 'card_already_added' });
  });

  it('refuses a token the network does not know, and other people\'s cards', async () => {
    const a = await customer(t);
    const b = await customer(t);
    const bad = await requestCard(t, a, 'tok_00000000000000000000000000000000');
    expect([bad.statusCode, bad.json().code]).toEqual([400, 'card_token_invalid']);
    const card = await addCard(t, a);
    const del = await t.konpay.app.inject({ method: 'DELETE', url: `/v1/cards/${card.id}`, headers: bearer(b.token) });
    expect(del.statusCode).toBe(404);
    expect(await cardsOf(a.token)).toHaveLength(1);
  });
});
