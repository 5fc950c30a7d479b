/**
 * Chargebacks (WAL-7) end to end: the card network books them a day after capture and
 * announces them by signed webhook over HTTP to the listening Konpay server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesTo } from '../../test/harness/customer.js';
import type { TestKonpay } from '../../test/harness/konpay.js';
import { freePort } from '../../test/harness/net.js';
import { addCard, CARDS, customer, ledgerBalanced, startWalletKonpay, topUp, walletOf, type Holder } from '../../test/harness/wallet.js';
import { signWebhook } from '../cardnet/webhook-signature.js';
import { withTransaction } from '../db/tx.js';
import { ManualClock } from '../shared/clock.js';
import { newUuid } from '../shared/ids.js';
import { ensureAccount, walletCode } from '../wallet/ledger/accounts.js';
import { createTransfer } from '../wallet/ledger/ledger.js';
import { findAccountByCode } from '../wallet/ledger/repo.js';

const SECRET = 'whsec_konpay_test_0123456789';
const clock = new ManualClock('2026-11-20T01:00:00Z');
let t: TestKonpay;

beforeAll(async () => {
  const port = await freePort();
  t = await startWalletKonpay({ PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}`, CARDNET_WEBHOOK_SECRET: SECRET }, { clock });
  await t.konpay.listen();
});
afterAll(() => t?.stop());

const DAY = 86_400_000;

/** A purchase, as the store payments will make it: money out of the wallet to a merchant. */
async function spend(c: Holder, amount: number) {
  const now = clock.now();
  const wallet = (await findAccountByCode(t.konpay.pool, walletCode(c.uid)))!;
  const merchant = await withTransaction(t.konpay.pool, (q) => ensureAccount(q, 'merchant_payable:test', 'merchant_payable', null, now));
  const r = await withTransaction(t.konpay.pool, (q) => createTransfer(q, { phase: 'single', id: newUuid(), debitAccountId: wallet.id, creditAccountId: merchant.id, amount, kind: 'payment' }, now));
  expect(r.kind).toBe('created');
}

const frozen = async (c: Holder) => (await t.konpay.pool.query<{ frozen_reason: string | null }>(`SELECT frozen_reason FROM users WHERE id = $1`, [c.uid])).rows[0]!.frozen_reason;
const lossBooked = async () => (await t.konpay.pool.query<{ n: number }>(`SELECT coalesce(sum(debits_posted - credits_posted), 0)::int8 AS n FROM ledger_accounts WHERE kind = 'chargeback_loss'`)).rows[0]!.n;

describe('a chargeback', () => {
  it('of an unspent top-up takes the money back and leaves the account open', async () => {
    const c = await customer(t);
    const card = await addCard(t, c, CARDS.chargeback);
    expect((await topUp(t, c, card.id, 10_000)).status).toBe('succeeded');
    clock.advance(DAY + 60_000);
    expect(await t.konpay.cardnet!.tick()).toEqual({ chargebacks: 1, delivered: 1 });
    expect(await walletOf(t, c)).toMatchObject({ balance: 0, frozen: false });
    expect(await frozen(c)).toBeNull();
    expect(await lossBooked()).toBe(0);
    expect(await ledgerBalanced(t)).toBe(true);
    const cards = await t.konpay.pool.query<{ status: string; failure_code: string }>(`SELECT status, failure_code FROM cards WHERE user_id = $1`, [c.uid]);
    expect(cards.rows).toEqual([{ status: 'failed', failure_code: 'charged_back' }]);
    const mail = (await messagesTo(t, c.email)).find((m) => m.subject?.includes('reversed a top-up'));
    expect(mail?.body).toContain('-¥10,000');
  });

  it('of a top-up already spent: what is left comes back, the rest is booked as a loss, the account is frozen', async () => {
    const c = await customer(t);
    const card = await addCard(t, c, CARDS.chargeback);
    expect((await topUp(t, c, card.id, 10_000)).status).toBe('succeeded');
    await spend(c, 7000);
    clock.advance(DAY + 60_000);
    expect(await t.konpay.cardnet!.tick()).toEqual({ chargebacks: 1, delivered: 1 });
    const w = await walletOf(t, c);
    expect(w).toMatchObject({ balance: 0, frozen: true });
    expect(await frozen(c)).toBe('chargeback_shortfall');
    expect(await lossBooked()).toBe(7000);
    expect(await ledgerBalanced(t)).toBe(true);
    const notices = await messagesTo(t, c.email);
    expect(notices.some((m) => m.subject?.includes('Your account was frozen') && m.body.includes('¥7,000 short'))).toBe(true);
  });

  it('delivered twice is handled once', async () => {
    const row = (await t.konpay.pool.query<{ body: string }>(`SELECT body FROM cardnet_webhooks ORDER BY created_at DESC LIMIT 1`)).rows[0]!;
    const before = await lossBooked();
    const res = await t.konpay.app.inject({
      method: 'POST', url: '/v1/webhooks/card-network',
      headers: { 'content-type': 'application/json', 'cardnet-signature': signWebhook(SECRET, row.body, clock.now()) }, payload: row.body,
    });
    expect(res.json()).toEqual({ received: true, outcome: 'duplicate' });
    expect(await lossBooked()).toBe(before);
    expect(await ledgerBalanced(t)).toBe(true);
  });

  it('with a wrong or stale signature is refused and changes nothing', async () => {
    const row = (await t.konpay.pool.query<{ body: string }>(`SELECT body FROM cardnet_webhooks ORDER BY created_at DESC LIMIT 1`)).rows[0]!;
    const forged = row.body.replace(/"id":"evt_[0-9a-f]+"/, '"id":"evt_forged"');
    const wrong = await t.konpay.app.inject({
      method: 'POST', url: '/v1/webhooks/card-network',
      headers: { 'content-type': 'application/json', 'cardnet-signature': signWebhook('not-the-secret-at-all', forged, clock.now()) }, payload: forged,
    });
    expect([wrong.statusCode, wrong.json().code]).toEqual([401, 'webhook_signature_invalid']);
    const stale = await t.konpay.app.inject({
      method: 'POST', url: '/v1/webhooks/card-network',
      headers: { 'content-type': 'application/json', 'cardnet-signature': signWebhook(SECRET, forged, new Date(clock.now().getTime() - 600_000)) }, payload: forged,
    });
    expect([stale.statusCode, stale.json().why]).toEqual([401, 'stale']);
    const events = await t.konpay.pool.query(`SELECT 1 FROM card_network_events WHERE id = 'evt_forged'`);
    expect(events.rowCount).toBe(0);
  });
});
