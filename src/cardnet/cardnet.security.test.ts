/**
 * Attacks on the card network: charging without the holder's 3-D Secure, reusing
 * another card's authentication, guessing the challenge code, refunding more than was
 * paid, forging a chargeback webhook, and the card number leaking anywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticated, authorise, postCode, startAuth, startTestCardnet, tokenFor, WEBHOOK_SECRET, type TestCardnet } from '../../test/harness/cardnet.js';
import { latestCode } from '../../test/harness/customer.js';
import { verifyWebhook } from '../cards/psp/webhook-verify.js';
import { signWebhook } from './webhook-signature.js';

let c: TestCardnet;
beforeAll(async () => {
  c = await startTestCardnet();
});
afterAll(() => c.stop());

let n = 0;
const ref = (what: string) => `${what}_sec_${++n}`;

describe('attacks', () => {
  it('authorise without a completed 3-D Secure is refused', async () => {
    const card = await tokenFor(c, '4000000000002008');
    const pending = await startAuth(c, card.token, 5000);
    expect(pending.status).toBe('challenge_required');
    for (const authenticationId of [pending.id, '3ds_00000000000000000000000000000000', 'none']) {
      const res = await authorise(c, { reference: ref('pay'), token: card.token, authenticationId, amount: 5000 });
      expect(res.statusCode).toBe(402);
      expect(res.json()).toMatchObject({ code: 'authentication_required' });
    }
  });

  it("authorise with another token's authentication, another amount, or a spent one is refused", async () => {
    const { card, auth } = await authenticated(c, '4000000000002008', 5000);
    const other = await tokenFor(c, '4000000000002008');
    const steal = await authorise(c, { reference: ref('pay'), token: other.token, authenticationId: auth.id, amount: 5000 });
    expect(steal.json()).toMatchObject({ code: 'authentication_required', detail: 'the authentication was for another card' });
    const more = await authorise(c, { reference: ref('pay'), token: card.token, authenticationId: auth.id, amount: 30_000 });
    expect(more.json()).toMatchObject({ code: 'authentication_required' });
    expect((await authorise(c, { reference: ref('pay'), token: card.token, authenticationId: auth.id, amount: 5000 })).statusCode).toBe(201);
    const reuse = await authorise(c, { reference: ref('pay'), token: card.token, authenticationId: auth.id, amount: 5000 });
    expect(reuse.json()).toMatchObject({ code: 'authentication_required', detail: 'the authentication was already used' });
  });

  it('brute force of the challenge code: five guesses, then the challenge is over', async () => {
    const card = await tokenFor(c, '4000000000002008');
    const auth = await startAuth(c, card.token, 5000);
    const code = await latestCode(c.t, card.holder.phoneE164, 'sms');
    const guesses = ['000000', '111111', '222222', '333333', '444444', '555555', '666666', '777777'].filter((g) => g !== code);
    // Concurrent guesses too: the row lock counts each one.
    await Promise.all(guesses.slice(0, 7).map((g) => postCode(c, auth.id, g)));
    const state = (await c.cardnet.app.inject({ method: 'GET', url: `/cardnet/v1/authentications/${auth.id}` })).json() as { status: string };
    expect(state.status).toBe('failed');
    const late = await postCode(c, auth.id, code);
    expect(new URL(late.headers.location as string).searchParams.get('status')).toBe('failed');
    const res = await authorise(c, { reference: ref('pay'), token: card.token, authenticationId: auth.id, amount: 5000 });
    expect(res.json()).toMatchObject({ code: 'authentication_required' });
  });

  it('refund above the captured amount is refused, also by concurrent refunds', async () => {
    const { card, auth } = await authenticated(c, '4000000000002008', 10_000);
    const reference = ref('pay');
    await authorise(c, { reference, token: card.token, authenticationId: auth.id, amount: 10_000 });
    await c.cardnet.app.inject({ method: 'POST', url: `/cardnet/v1/payments/${reference}/capture`, payload: { reference: ref('cap'), amount: 8000 } });
    const over = await c.cardnet.app.inject({ method: 'POST', url: `/cardnet/v1/payments/${reference}/refund`, payload: { reference: ref('ref'), amount: 8001 } });
    expect(over.json()).toMatchObject({ code: 'amount_too_large' });
    const many = await Promise.all([1, 2, 3].map(() =>
      c.cardnet.app.inject({ method: 'POST', url: `/cardnet/v1/payments/${reference}/refund`, payload: { reference: ref('ref'), amount: 3000 } })));
    expect(many.filter((r) => r.statusCode === 200)).toHaveLength(2);
    const p = (await c.cardnet.app.inject({ method: 'GET', url: `/cardnet/v1/payments/${reference}` })).json() as { refunded: number };
    expect(p.refunded).toBe(6000);
  });

  it('webhook signature verification refuses a tampered body, a wrong secret and a stale timestamp', () => {
    const now = c.clock.now();
    const body = JSON.stringify({ type: 'payment.charged_back', data: { chargeback: { amount: 9000 } } });
    const header = signWebhook(WEBHOOK_SECRET, body, now);
    expect(verifyWebhook(WEBHOOK_SECRET, header, body, now)).toEqual({ kind: 'valid' });
    expect(verifyWebhook(WEBHOOK_SECRET, header, body.replace('9000', '90000'), now)).toEqual({ kind: 'invalid', why: 'signature' });
    expect(verifyWebhook('another-secret', header, body, now)).toEqual({ kind: 'invalid', why: 'signature' });
    expect(verifyWebhook(WEBHOOK_SECRET, header, body, new Date(now.getTime() + 3_600_000))).toEqual({ kind: 'invalid', why: 'stale' });
    expect(verifyWebhook(WEBHOOK_SECRET, 'v1=abc', body, now)).toEqual({ kind: 'invalid', why: 'malformed' });
  });

  it('a card number never appears in any cardnet table, log line or response', async () => {
    const pan = '4000000000008005';
    const spaced = '4000 0000 0000 8005';
    const bodies: string[] = [];
    const form = await c.cardnet.app.inject({
      method: 'POST', url: '/cardnet/card-form', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ returnUrl: 'http://konpay.test/cards/return', number: spaced, expMonth: '1', expYear: '2031', cvc: '987', holderName: 'X', phone: '09011112222' }).toString(),
    });
    bodies.push(form.body, JSON.stringify(form.headers));
    const bad = await c.cardnet.app.inject({ method: 'POST', url: '/cardnet/v1/tokens', payload: { number: pan, expMonth: 13, expYear: 2031, cvc: '987', holderName: 'X', phone: '09011112222' } });
    bodies.push(bad.body);
    const { card, auth } = await authenticated(c, pan, 4000);
    const pay = await authorise(c, { reference: ref('pay'), token: card.token, authenticationId: auth.id, amount: 4000 });
    bodies.push(JSON.stringify(card), JSON.stringify(auth), pay.body);

    const tables = await c.t.konpay.pool.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 'cardnet\\_%'`);
    expect(tables.rows.map((r) => r.table_name).sort()).toEqual(['cardnet_authentications', 'cardnet_operations', 'cardnet_payments', 'cardnet_tokens', 'cardnet_webhooks']);
    let dump = '';
    for (const { table_name } of tables.rows) {
      const rows = await c.t.konpay.pool.query(`SELECT t::text AS row FROM ${table_name} t`);
      dump += rows.rows.map((r: { row: string }) => r.row).join('\n');
    }
    expect(dump).toContain('8005'); // the last four are kept…
    const outbox = await c.t.konpay.pool.query<{ p: string }>(`SELECT coalesce(payload::text, '') AS p FROM outbox`);
    const everywhere = [dump, c.t.logs.text, ...bodies, ...outbox.rows.map((r) => r.p)].join('\n');
    for (const needle of [pan, spaced]) expect(everywhere, needle).not.toContain(needle);
  });
});
