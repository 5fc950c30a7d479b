/**
 * The whole story of paying with Konpay, as issue 5 tells it, against one real server
 * on real PostgreSQL: a customer signs up, tops up by card through the issuer's 3-D Secure
 * challenge, shows a code; a store terminal takes the payment; the merchant's webhook
 * arrives signed; the store refunds part; the day's Zengin payout file pays the store
 * exactly the net.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pinRequest, unlockAndIssue } from '../harness/codes.js';
import type { TestKonpay } from '../harness/konpay.js';
import { pay, refund, type PosPayment } from '../harness/payments.js';
import { newTerminal } from '../harness/pos.js';
import { addCard, customer, ledgerBalanced, startWalletKonpay, topUp, walletOf } from '../harness/wallet.js';
import { startWebhookReceiver, type WebhookReceiver } from '../harness/webhook-receiver.js';
import { opsRequest } from '../harness/webhooks.js';
import { drainOutbox } from '../harness/customer.js';
import { closeDay } from '../../src/settlement/close.js';
import { preparePayout } from '../../src/settlement/payout.js';
import { setBankAccount } from '../../src/settlement/bank-accounts.js';
import { parseZenginFile } from '../../src/settlement/zengin-parse.js';
import { verifyKonpaySignature } from '../../src/webhooks/signature.js';
import { ManualClock } from '../../src/shared/clock.js';

const clock = new ManualClock('2026-11-25T01:00:00Z'); // 10:00 JST
let t: TestKonpay;
let receiver: WebhookReceiver;
beforeAll(async () => {
  t = await startWalletKonpay({}, { clock });
  await t.konpay.listen();
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await t?.stop();
});

it('sign up → card top-up with 3-D Secure → code → payment → signed webhook → refund → payout file with the net', async () => {
  // The store, its bank account, and the merchant's webhook endpoint (operator API).
  const term = await newTerminal(t);
  const endpoint = await opsRequest<{ secret: string }>(t, 'POST', `/ops/v1/merchants/${term.merchantId}/webhook-endpoints`, { url: receiver.url });
  expect(endpoint.status).toBe(201);
  const bank = await setBankAccount({ pool: t.konpay.pool, clock }, { merchantId: term.merchantId }, {
    bankCode: '0005', bankName: 'ﾐﾂﾋﾞｼUFJ', branchCode: '135', branchName: 'ｼﾌﾞﾔ', accountType: 1, accountNumber: '1234567', holder: 'ｺﾝﾋﾞﾆﾏ-ﾄ(ｶ',
  });
  expect(bank.kind).toBe('set');

  // The customer signs up and tops up ¥10,000 by card, through the issuer's challenge.
  const c = await customer(t);
  const card = await addCard(t, c);
  expect(card.status).toBe('active');
  expect((await topUp(t, c, card.id, 10_000)).status).toBe('succeeded');
  expect((await walletOf(t, c)).balance).toBe(10_000);

  // The app: an app PIN (the fresh sign-in is privileged), unlock, a one-time code.
  expect((await pinRequest(t, c.token, '2580')).statusCode).toBe(204);
  const code = (await unlockAndIssue(t, c, '2580')).code;

  // The till takes ¥4,000; the merchant hears of it, signed.
  const paid = await pay(term, code, 4000, { categories: ['food'] });
  expect(paid.status, JSON.stringify(paid.json)).toBe(201);
  const payment = paid.json as PosPayment;
  await drainOutbox(t);
  const approved = receiver.requests.map((r) => ({ r, body: JSON.parse(r.body) as { type: string; data: { payment: { id: string } } } }))
    .find((x) => x.body.type === 'payment.approved');
  expect(approved?.body.data.payment.id).toBe(payment.id);
  expect(verifyKonpaySignature(endpoint.json.secret, approved!.r.headers['konpay-signature'] as string, approved!.r.body, clock.now()).kind).toBe('valid');

  // The store refunds ¥1,500 later that day.
  expect((await refund(term, payment.id, 1500)).status).toBe(201);
  expect((await walletOf(t, c)).balance).toBe(7500);

  // After midnight JST: close the day and make the payout file.
  clock.advance(14 * 3_600_000 + 10 * 60_000); // 00:10 JST on the 26th
  const closed = await closeDay({ pool: t.konpay.pool, clock }, '2026-11-25');
  expect(closed.kind).toBe('closed');
  const payout = await preparePayout({ pool: t.konpay.pool, clock }, '2026-11-25', t.config.payout.remitter, '2026-11-26');
  expect(payout.kind, JSON.stringify(payout)).toBe('ready');
  if (payout.kind !== 'ready') return;
  const fee = Math.floor((4000 * t.config.payments.feeBps) / 10_000);
  const net = 4000 - 1500 - fee;
  const file = parseZenginFile(payout.file);
  expect(file.transfers).toHaveLength(1);
  expect(file.transfers[0]).toMatchObject({ amount: net, accountNumber: '1234567' });
  expect(file.trailer).toEqual({ count: 1, amount: net });
  expect(await ledgerBalanced(t)).toBe(true);
});
