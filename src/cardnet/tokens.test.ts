import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newHolder, RETURN_URL, startTestCardnet, tokenFor, type TestCardnet } from '../../test/harness/cardnet.js';

let c: TestCardnet;
beforeAll(async () => {
  c = await startTestCardnet();
});
afterAll(() => c.stop());

const form = (fields: Record<string, string>) => ({
  method: 'POST' as const, url: '/cardnet/card-form',
  headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString(),
});

describe('tokenisation', () => {
  it('returns a token, a fingerprint and the card summary from the JSON API', async () => {
    const card = await tokenFor(c, '4000 0000 0000 2008');
    expect(card).toMatchObject({ last4: '2008', brand: 'visa' });
    expect(card.token).toMatch(/^tok_[0-9a-f]{32}$/);
    expect(card.fingerprint).toMatch(/^fp_/);
  });

  it('gives the same card the same fingerprint, and another card another one', async () => {
    const a = await tokenFor(c, '4000000000002008');
    const b = await tokenFor(c, '4000-0000-0000-2008');
    const other = await tokenFor(c, '4000000000001000');
    expect(a.token).not.toBe(b.token);
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(other.fingerprint).not.toBe(a.fingerprint);
  });

  it('refuses numbers failing Luhn, expired cards and bad phones', async () => {
    const base = { number: '4000000000002008', expMonth: 12, expYear: 2030, cvc: '123', holderName: 'A B', phone: newHolder().phone };
    for (const [payload, code] of [
      [{ ...base, number: '4000000000002009' }, 'invalid_card'],
      [{ ...base, expYear: 2025 }, 'card_expired'],
      [{ ...base, phone: '12' + '345' }, 'invalid_card'],
      [{ ...base, cvc: '12a' }, 'invalid_card'],
    ] as const) {
      const res = await c.cardnet.app.inject({ method: 'POST', url: '/cardnet/v1/tokens', payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json()).toMatchObject({ code });
    }
  });
});

describe('hosted card form', () => {
  it('serves a real HTML form with a strict CSP', async () => {
    const res = await c.cardnet.app.inject({ method: 'GET', url: `/cardnet/card-form?returnUrl=${encodeURIComponent(RETURN_URL)}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.body).toContain('<form method="post" action="/cardnet/card-form"');
    for (const name of ['number', 'expMonth', 'expYear', 'cvc', 'holderName', 'phone']) expect(res.body).toContain(`name="${name}"`);
  });

  it('redirects to the return URL with the token after a valid post', async () => {
    const res = await c.cardnet.app.inject(form({
      returnUrl: RETURN_URL, number: '4000000000001000', expMonth: '7', expYear: '29', cvc: '321', holderName: 'Taro', phone: newHolder().phone,
    }));
    expect(res.statusCode).toBe(303);
    const to = new URL(res.headers.location as string);
    expect(`${to.origin}${to.pathname}`).toBe(RETURN_URL);
    expect(to.searchParams.get('token')).toMatch(/^tok_/);
    expect(Object.fromEntries(to.searchParams)).toMatchObject({ last4: '1000', brand: 'visa', expMonth: '7', expYear: '2029' });
  });

  it('shows the form again with an error, without echoing the card number', async () => {
    const res = await c.cardnet.app.inject(form({
      returnUrl: RETURN_URL, number: '4000000000001001', expMonth: '7', expYear: '29', cvc: '321', holderName: '<b>Taro</b>', phone: newHolder().phone,
    }));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('The card number is not valid.');
    expect(res.body).toContain('&lt;b&gt;Taro&lt;/b&gt;');
    expect(res.body).not.toContain('4000000000001001');
  });

  it('refuses to send the browser to a return URL not registered for the merchant', async () => {
    const res = await c.cardnet.app.inject(form({ returnUrl: 'https://evil.example/steal', number: '4000000000001000', expMonth: '7', expYear: '29', cvc: '321', holderName: 'T', phone: newHolder().phone }));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'return_url_not_allowed' });
    expect(res.headers.location).toBeUndefined();
  });
});
