/** Paying at the till (PAY-2, WAL-5, WAL-7): approve, decline, cancel the same day, refund. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceOfUser } from '../../test/harness/cash.js';
import { bearer, messagesTo } from '../../test/harness/customer.js';
import type { TestKonpay } from '../../test/harness/konpay.js';
import {
  cancel, codeOf, codeOfProblem, declineOf, newOrder, pay, payerWith, posKey, refund, type PosPayment,
} from '../../test/harness/payments.js';
import { newTerminal, startTill, type TestTerminal } from '../../test/harness/pos.js';
import { ledgerBalanced } from '../../test/harness/wallet.js';
import { freezeUser, setRestrictedUntil } from '../identity/repo/users.js';
import { setPartyStatus } from '../merchants/repo.js';
import { ManualClock } from '../shared/clock.js';
import { fromPublicId } from '../shared/ids.js';

const clock = new ManualClock('2026-11-25T01:00:00Z'); // 10:00 JST
let t: TestKonpay;
let term: TestTerminal;

beforeAll(async () => {
  ({ t, term } = await startTill(clock));
});
afterAll(() => t?.stop());

describe('a payment', () => {
  it('moves the money once, tells the customer, and shows in their history under the store\'s name', async () => {
    const who = await payerWith(t, term, 5000);
    const r = await pay(term, await codeOf(t, who), 1280, { categories: ['food', 'drink'] });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    const p = r.json as PosPayment & { businessDate: string; storeId: string };
    expect(p).toMatchObject({ status: 'approved', amount: 1280, refunded: 0, businessDate: '2026-11-25', storeId: term.storeId, refunds: [] });
    expect(JSON.stringify(p)).not.toMatch(/usr_|@|balance/);
    expect(await balanceOfUser(t, who.uid)).toBe(3720);
    expect(await ledgerBalanced(t)).toBe(true);
    const mail = (await messagesTo(t, who.email)).find((m) => m.subject === 'Konpay: Payment');
    expect(mail?.body).toContain('-¥1,280');
    const history = await t.konpay.app.inject({ method: 'GET', url: '/v1/wallet/history?kind=payment', headers: bearer(who.token) });
    expect(history.json().movements[0]).toMatchObject({ kind: 'payment', amount: -1280, status: 'posted', description: expect.stringMatching(/^Shibuya/) });
  });

  it('is idempotent: the same key answers the first payment; another body under it is refused', async () => {
    const who = await payerWith(t, term, 3000);
    const code = await codeOf(t, who);
    const key = posKey();
    const orderId = newOrder();
    const a = await pay(term, code, 1000, { key, orderId });
    const b = await pay(term, code, 1000, { key, orderId });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.headers.get('idempotent-replayed')).toBe('true');
    expect(b.json).toEqual(a.json);
    expect(await balanceOfUser(t, who.uid)).toBe(2000);
    expect(codeOfProblem(await pay(term, code, 999, { key, orderId }))).toBe('idempotency_key_reused');
  });

  it('one order is paid once, even under a new key', async () => {
    const who = await payerWith(t, term, 3000);
    const orderId = newOrder();
    expect((await pay(term, await codeOf(t, who), 500, { orderId })).status).toBe(201);
    const again = await pay(term, await codeOf(t, who), 500, { orderId });
    expect([again.status, declineOf(again)]).toEqual([402, 'duplicate_order']);
    const found = await term.client.request('GET', `/pos/v1/payments?orderId=${encodeURIComponent(orderId)}`);
    expect(found.json).toMatchObject({ orderId, amount: 500 });
    expect(await balanceOfUser(t, who.uid)).toBe(2500);
  });
});

describe('declines', () => {
  it('insufficient balance takes nothing and leaves the code usable', async () => {
    const who = await payerWith(t, term, 1000);
    const code = await codeOf(t, who);
    const r = await pay(term, code, 1500);
    expect([r.status, codeOfProblem(r), declineOf(r)]).toEqual([402, 'payment_declined', 'insufficient_balance']);
    expect((r.json as { message: string }).message).not.toMatch(/1,000|1000/);
    expect((await pay(term, code, 800)).status).toBe(201);
    expect(await balanceOfUser(t, who.uid)).toBe(200);
  });

  it('over the per-payment limit, restricted mode, a frozen account, a suspended store', async () => {
    const who = await payerWith(t, term, 60_000);
    expect(declineOf(await pay(term, await codeOf(t, who), 50_001))).toBe('limit_exceeded');
    await setRestrictedUntil(t.konpay.pool, who.uid, new Date(clock.now().getTime() + 3_600_000));
    expect(declineOf(await pay(term, await codeOf(t, who), 5001))).toBe('account_restricted');
    expect((await pay(term, await codeOf(t, who), 5000)).status).toBe(201); // the restricted cap
    const shownBefore = await codeOf(t, who); // on screen when the account is frozen
    await freezeUser(t.konpay.pool, who.uid, 'test', clock.now());
    expect(declineOf(await pay(term, shownBefore, 100))).toBe('account_frozen');

    const other = await newTerminal(t);
    const payer = await payerWith(t, other, 2000);
    await setPartyStatus(t.konpay.pool, 'stores', fromPublicId('sto', other.storeId)!, 'suspended');
    const r = await pay(other, await codeOf(t, payer), 100);
    // A suspended store is refused at the door (its terminal's signature no longer opens the API).
    expect(r.status).toBe(403);
    expect(await balanceOfUser(t, payer.uid)).toBe(2000);
    expect(await ledgerBalanced(t)).toBe(true);
  });

  it('the 24-hour payment limit counts the last 24 hours only', async () => {
    const who = await payerWith(t, term, 100_000);
    expect((await pay(term, await codeOf(t, who), 50_000)).status).toBe(201);
    clock.advance(3_600_000);
    expect((await pay(term, await codeOf(t, who), 49_900)).status).toBe(201);
    expect((await pay(term, await codeOf(t, who), 100)).status).toBe(201); // exactly ¥100,000 in 24 h
    expect(declineOf(await pay(term, await codeOf(t, who), 1))).toBe('limit_exceeded');
    clock.advance(23 * 3_600_000 + 1000); // the first payment is now older than 24 h
    expect((await pay(term, await codeOf(t, who), 1)).status).toBe(402); // the balance is spent now
    expect(declineOf(await pay(term, await codeOf(t, who), 1))).toBe('insufficient_balance');
    expect(await balanceOfUser(t, who.uid)).toBe(0);
  });

  it('each decline is recorded for the console', async () => {
    const rows = await t.konpay.pool.query<{ reason: string }>(`SELECT reason FROM payment_declines WHERE terminal_id = $1`, [fromPublicId('trm', term.terminalId)]);
    expect(rows.rows.map((r) => r.reason)).toEqual(expect.arrayContaining(['insufficient_balance', 'limit_exceeded', 'account_restricted', 'duplicate_order']));
  });
});

describe('after the sale', () => {
  it('a same-day cancellation returns everything; the next JST day it is refused', async () => {
    const who = await payerWith(t, term, 4000);
    const p = (await pay(term, await codeOf(t, who), 1500)).json as PosPayment;
    const c = await cancel(term, p.id);
    expect(c.status, JSON.stringify(c.json)).toBe(200);
    expect(c.json).toMatchObject({ status: 'canceled', canceledAt: expect.any(String) });
    expect(await balanceOfUser(t, who.uid)).toBe(4000);
    expect((await cancel(term, p.id)).json).toMatchObject({ code: 'payment_not_cancelable', why: 'already_canceled' });

    const q = (await pay(term, await codeOf(t, who), 700)).json as PosPayment;
    clock.advance(14 * 3_600_000 + 60_000); // 00:01 JST the next day
    expect((await cancel(term, q.id)).json).toMatchObject({ code: 'payment_not_cancelable', why: 'not_same_day' });
    expect(await balanceOfUser(t, who.uid)).toBe(3300);
    expect(await ledgerBalanced(t)).toBe(true);
  });

  it('refunds, partial and full, never add up to more than was paid', async () => {
    const who = await payerWith(t, term, 5000);
    const p = (await pay(term, await codeOf(t, who), 2000)).json as PosPayment;
    expect((await refund(term, p.id, 500)).json).toMatchObject({ refunded: 500, refunds: [{ amount: 500 }] });
    const over = await refund(term, p.id, 1501);
    expect(over.json).toMatchObject({ code: 'payment_refund_refused', why: 'exceeds_remaining', remaining: 1500 });
    expect((await refund(term, p.id, 1500)).json).toMatchObject({ refunded: 2000 });
    expect((await cancel(term, p.id)).json).toMatchObject({ code: 'payment_not_cancelable' });
    expect(await balanceOfUser(t, who.uid)).toBe(5000);
    const mail = (await messagesTo(t, who.email)).filter((m) => m.subject === 'Konpay: Refund');
    expect(mail).toHaveLength(2);
    expect(await ledgerBalanced(t)).toBe(true);
  });

  it('a refund retried with its key is made once', async () => {
    const who = await payerWith(t, term, 3000);
    const p = (await pay(term, await codeOf(t, who), 1000)).json as PosPayment;
    const key = posKey();
    const [a, b] = [await refund(term, p.id, 300, key), await refund(term, p.id, 300, key)];
    expect(b.json).toEqual(a.json);
    expect((await term.client.request('GET', `/pos/v1/payments/${p.id}`)).json).toMatchObject({ refunded: 300 });
  });
});
