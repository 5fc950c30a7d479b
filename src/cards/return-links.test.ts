/**
 * The way between the wallet app and the card network: where the app sends the browser to
 * enter a card, and the pages the issuer's challenge returns to, which lead back into the
 * app and echo nothing from their query string (anyone can craft such a link).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../../test/harness/customer.js';
import type { TestKonpay } from '../../test/harness/konpay.js';
import { addCard, customer, passChallenge, requestCard, requestTopup, startWalletKonpay, tokenise, uniqueCard } from '../../test/harness/wallet.js';
import { renderReturnPage } from './return-page.js';

let t: TestKonpay;
beforeAll(async () => { t = await startWalletKonpay(); });
afterAll(() => t?.stop());

const HOSTILE = '?authentication=3ds_x&status=authenticated&next=https%3A%2F%2Fevil.example%2F&msg=%3Cscript%3Ealert(1)%3C%2Fscript%3E';
const expectNoEcho = (body: string) => {
  expect(body).not.toContain('evil.example');
  expect(body).not.toContain('<script');
  expect(body).not.toContain('3ds_x');
};

describe('the card form the app sends customers to', () => {
  it('is the card network\'s own page, returning to the wallet\'s cards screen', async () => {
    const c = await customer(t);
    const res = await t.konpay.app.inject({ method: 'GET', url: '/v1/cards/card-form', headers: bearer(c.token) });
    expect(res.statusCode, res.body).toBe(200);
    const { url, maxCards } = res.json() as { url: string; maxCards: number };
    expect(maxCards).toBe(3);
    const form = new URL(url);
    expect(form.origin).toBe(new URL(t.konpay.cardnet!.url).origin);
    expect(form.pathname).toBe('/cardnet/card-form');
    expect(form.searchParams.get('returnUrl')).toBe(`${t.config.http.publicUrl}/app/cards`);
    // The network accepts that return address (it returns only to registered origins).
    const page = await t.konpay.cardnet!.app.inject({ method: 'GET', url: `${form.pathname}${form.search}` });
    expect(page.statusCode, page.body).toBe(200);
  });

  it('is told only to a signed-in customer', async () => {
    const res = await t.konpay.app.inject({ method: 'GET', url: '/v1/cards/card-form' });
    expect(res.statusCode).toBe(401);
  });
});

describe('the 3-D Secure return pages', () => {
  it('after adding a card: leads back to the cards screen naming the card, echoing nothing', async () => {
    const c = await customer(t);
    const { token } = await tokenise(t, uniqueCard(), c);
    const { card, nextAction } = (await requestCard(t, c, token)).json() as { card: { id: string }; nextAction: { url: string } };
    const { returned } = await passChallenge(t, nextAction.url, c);
    expect(returned!.body).toContain(`href="/app/cards?card=${card.id}"`);
    const again = await t.konpay.app.inject({ method: 'GET', url: `/v1/cards/${card.id}/3ds-return${HOSTILE}` });
    expect(again.statusCode).toBe(200);
    expect(again.headers['cache-control']).toBe('no-store');
    expect(again.body).toContain('カードを登録しました');
    expectNoEcho(again.body);
  });

  it('after a top-up: leads back to the top-up screen naming the top-up, echoing nothing', async () => {
    const c = await customer(t);
    const card = await addCard(t, c);
    const created = (await requestTopup(t, c, card.id, 3000)).json() as { id: string; nextAction: { url: string } };
    const { returned } = await passChallenge(t, created.nextAction.url, c);
    expect(returned!.body).toContain(`href="/app/topup?topup=${created.id}"`);
    expect(returned!.body).toContain('￥3,000をチャージしました');
    const again = await t.konpay.app.inject({ method: 'GET', url: `/v1/topups/${created.id}/3ds-return${HOSTILE}` });
    expect(again.body).toContain('¥3,000 was added');
    expectNoEcho(again.body);
  });

  it('links only into the wallet app, whatever it is given', () => {
    for (const back of ['https://evil.example/', '//evil.example/app/', '/app/cards?card="><script>', 'javascript:alert(1)', '/v1/freeze']) {
      const html = renderReturnPage({ ok: true, ja: '完了', en: 'Done', back });
      expect(html, back).toContain('href="/app/"');
    }
    expect(renderReturnPage({ ok: true, ja: '完了', en: 'Done', back: '/app/topup?topup=top_0123' })).toContain('href="/app/topup?topup=top_0123"');
  });
});
