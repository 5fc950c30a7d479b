/**
 * Each kill switch at its enforcement point (OPS-1): refused while off with 503
 * `feature_paused` and nothing used up or recorded, accepted again when on; store
 * switches stop only their store, a global switch stops every store; answers given
 * before the pause are still replayed for their idempotency keys.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceOfUser, cashTopup, codesUsed } from '../../../test/harness/cash.js';
import { newPayer } from '../../../test/harness/codes.js';
import { latestCode, newCustomer } from '../../../test/harness/customer.js';
import type { TestKonpay } from '../../../test/harness/konpay.js';
import { codeOf, newOrder, pay, payerWith, posKey } from '../../../test/harness/payments.js';
import { newTerminal, type TestTerminal } from '../../../test/harness/pos.js';
import { setSwitch } from '../../../test/harness/switches.js';
import { addCard, customer, requestTopup, startWalletKonpay, walletOf } from '../../../test/harness/wallet.js';
import type { PosResponse } from '../../pos/client.js';

let t: TestKonpay;
let storeA: TestTerminal;
let storeB: TestTerminal;
beforeAll(async () => {
  t = await startWalletKonpay();
  await t.konpay.listen();
  [storeA, storeB] = [await newTerminal(t), await newTerminal(t)];
});
afterAll(() => t?.stop());

const paused = (feature: string, scope: 'global' | 'store') => ({
  code: 'feature_paused', status: 503, feature, scope, title: 'Konpay operations have paused this feature for now',
  detail: expect.stringMatching(/paused.* by Konpay operations for now\. This is not a problem with the customer's account/),
});
const pos = (r: PosResponse) => [r.status, r.json];
const count = async (sql: string, params: unknown[] = []) => (await t.konpay.pool.query<{ n: number }>(sql, params)).rows[0]!.n;

describe('card top-ups', () => {
  it('are refused while off (nothing started, the key free), answered as before for an earlier key, and accepted again when on', async () => {
    const c = await customer(t);
    const card = await addCard(t, c);
    const before = await requestTopup(t, c, card.id, 2000, 'topup-before-pause');
    expect(before.statusCode, before.body).toBe(201);

    await setSwitch(t, 'card_topups', true);
    const refused = await requestTopup(t, c, card.id, 3000, 'topup-during-pause');
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json()).toMatchObject(paused('card_topups', 'global'));
    expect(refused.body).not.toMatch(/test: card_topups off/); // the operator's reason stays inside
    const replay = await requestTopup(t, c, card.id, 2000, 'topup-before-pause');
    expect([replay.statusCode, replay.headers['idempotent-replayed'], replay.json()]).toEqual([201, 'true', before.json()]);
    expect(await count('SELECT count(*)::int AS n FROM card_topups WHERE user_id = $1', [c.uid])).toBe(1);
    expect(await walletOf(t, c)).toMatchObject({ pendingIn: 2000 });

    await setSwitch(t, 'card_topups', false);
    const after = await requestTopup(t, c, card.id, 3000, 'topup-during-pause');
    expect(after.statusCode, after.body).toBe(201);
    expect(await walletOf(t, c)).toMatchObject({ pendingIn: 5000 });
  });
});

describe('cash top-ups at the register', () => {
  it('switched off everywhere: every store refuses, the code is left untouched and works once on again', async () => {
    const who = await newPayer(t);
    const code = await codeOf(t, who);
    await setSwitch(t, 'cash_topups', true);
    expect(pos(await cashTopup(storeA, code, 1000))).toEqual([503, expect.objectContaining(paused('cash_topups', 'global'))]);
    expect(pos(await cashTopup(storeB, code, 1000))).toEqual([503, expect.objectContaining(paused('cash_topups', 'global'))]);
    expect(await codesUsed(t, who.uid)).toBe(0);
    expect(await balanceOfUser(t, who.uid)).toBe(0);

    await setSwitch(t, 'cash_topups', false);
    expect((await cashTopup(storeA, code, 1000)).status).toBe(201);
    expect(await balanceOfUser(t, who.uid)).toBe(1000);
  });

  it('switched off at one store: only that store refuses', async () => {
    const who = await newPayer(t);
    const code = await codeOf(t, who);
    await setSwitch(t, 'cash_topups', true, storeA.storeId);
    try {
      expect(pos(await cashTopup(storeA, code, 2000))).toEqual([503, expect.objectContaining(paused('cash_topups', 'store'))]);
      expect(await codesUsed(t, who.uid)).toBe(0);
      expect((await cashTopup(storeB, code, 2000)).status).toBe(201);
      expect(await balanceOfUser(t, who.uid)).toBe(2000);
    } finally {
      await setSwitch(t, 'cash_topups', false, storeA.storeId);
    }
    expect((await cashTopup(storeA, await codeOf(t, who), 1000)).status).toBe(201);
  });
});

describe('payments at the till', () => {
  const declines = () => count('SELECT count(*)::int AS n FROM payment_declines');

  it('switched off everywhere: every store refuses before the code is read, nothing is recorded, and the same code pays once on again', async () => {
    const who = await payerWith(t, storeA, 5000);
    const first = { code: await codeOf(t, who), key: posKey(), orderId: newOrder() };
    const approved = await pay(storeA, first.code, 300, first);
    expect(approved.status).toBe(201);
    const code = await codeOf(t, who);
    const used = await codesUsed(t, who.uid);
    const declinesBefore = await declines();

    await setSwitch(t, 'payments', true);
    const key = posKey();
    const orderId = newOrder();
    expect(pos(await pay(storeA, code, 500, { key, orderId }))).toEqual([503, expect.objectContaining(paused('payments', 'global'))]);
    expect(pos(await pay(storeB, code, 500))).toEqual([503, expect.objectContaining(paused('payments', 'global'))]);
    // A till retrying a payment answered before the pause is told that payment, not "paused".
    const replay = await pay(storeA, first.code, 300, first);
    expect([replay.status, replay.headers.get('idempotent-replayed'), replay.json]).toEqual([201, 'true', approved.json]);
    expect(await codesUsed(t, who.uid)).toBe(used);
    expect(await declines()).toBe(declinesBefore);
    expect(await balanceOfUser(t, who.uid)).toBe(4700);

    await setSwitch(t, 'payments', false);
    // The same code, and even the same key: the refusal kept nothing.
    const paid = await pay(storeA, code, 500, { key, orderId });
    expect(paid.status, JSON.stringify(paid.json)).toBe(201);
    expect(await balanceOfUser(t, who.uid)).toBe(4200);
  });

  it('switched off at one store: that store refuses, another takes the same code', async () => {
    const who = await payerWith(t, storeB, 3000);
    const code = await codeOf(t, who);
    await setSwitch(t, 'payments', true, storeA.storeId);
    try {
      expect(pos(await pay(storeA, code, 700))).toEqual([503, expect.objectContaining(paused('payments', 'store'))]);
      expect(t.konpay.switches.paused('payments')).toBeUndefined();
      const other = await pay(storeB, code, 700);
      expect(other.status, JSON.stringify(other.json)).toBe(201);
    } finally {
      await setSwitch(t, 'payments', false, storeA.storeId);
    }
    expect((await pay(storeA, await codeOf(t, who), 700)).status).toBe(201);
    expect(await balanceOfUser(t, who.uid)).toBe(1600);
  });

  it('a global switch wins over a store that is on, and a store switch outlives the global one', async () => {
    const who = await payerWith(t, storeB, 3000);
    const code = await codeOf(t, who);
    await setSwitch(t, 'payments', true, storeA.storeId);
    await setSwitch(t, 'payments', true);
    expect((await pay(storeB, code, 100)).json).toMatchObject({ code: 'feature_paused', scope: 'global' });
    await setSwitch(t, 'payments', false);
    expect((await pay(storeA, code, 100)).json).toMatchObject({ code: 'feature_paused', scope: 'store' });
    expect((await pay(storeB, code, 100)).status).toBe(201);
    await setSwitch(t, 'payments', false, storeA.storeId);
  });
});

describe('sign-ups', () => {
  const inject = (url: string, payload: object) => t.konpay.app.inject({ method: 'POST', url, payload });

  it('switched off: no sign-up starts or finishes; a flow begun before the pause finishes once on again', async () => {
    const who = newCustomer('paused');
    const start = await inject('/v1/signup', { email: who.email, phone: who.phone, password: who.password, locale: 'en' });
    expect(start.statusCode, start.body).toBe(202);
    const { flowId } = start.json() as { flowId: string };
    const codes = { emailCode: await latestCode(t, who.email), smsCode: await latestCode(t, who.phoneE164) };

    await setSwitch(t, 'signups', true);
    const late = newCustomer('late');
    const refused = await inject('/v1/signup', { email: late.email, phone: late.phone, password: late.password, locale: 'en' });
    expect([refused.statusCode, refused.json()]).toEqual([503, expect.objectContaining(paused('signups', 'global'))]);
    expect((await inject(`/v1/signup/${flowId}/verify`, { ...codes, deviceLabel: 'Phone' })).json()).toMatchObject({ code: 'feature_paused' });
    expect((await inject(`/v1/signup/${flowId}/resend`, { channel: 'email' })).statusCode).toBe(503);
    expect(await count('SELECT count(*)::int AS n FROM users WHERE email = $1', [who.email])).toBe(0);

    await setSwitch(t, 'signups', false);
    const done = await inject(`/v1/signup/${flowId}/verify`, { ...codes, deviceLabel: 'Phone' });
    expect(done.statusCode, done.body).toBe(201);
    expect((await inject('/v1/signup', { email: late.email, phone: late.phone, password: late.password, locale: 'en' })).statusCode).toBe(202);
  });
});
