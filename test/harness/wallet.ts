/**
 * Driving cards and card top-ups as a customer and their browser would: tokenise at the
 * card network's API (the card form's JSON twin), open the issuer's challenge, type the
 * SMS code it sent to the holder's phone, and follow the redirect back to Konpay.
 */
import { expect } from 'vitest';
import { fromPublicId } from '../../src/shared/ids.js';
import { bearer, latestCode, newCustomer, signUp, type SignedUp } from './customer.js';
import { startTestKonpay, type TestKonpay } from './konpay.js';
import type { StartOptions } from '../../src/server.js';

export const CARDS = {
  frictionless: '4000000000001000',
  challenge: '4000000000002008',
  challengeFails: '4000000000003006',
  insufficientFunds: '4000000000004004',
  stolen: '4000000000005001',
  incorrectCvc: '4000000000006009',
  timeout: '4000000000007007',
  chargeback: '4000000000008005',
} as const;

let cardSerial = 0;
/** A card number no other test uses (Luhn-valid; the network treats it as an always-challenged card). */
export function uniqueCard(): string {
  const body = `4900${`${process.pid % 100000}`.padStart(5, '0')}${`${++cardSerial}`.padStart(6, '0')}`;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return `${body}${(10 - (sum % 10)) % 10}`;
}

/**
 * How long Konpay waits for the card network in wallet tests, and how long the network
 * holds the timeout card's answer. The wait must outlast any ordinary answer on a loaded
 * CI machine (300 ms did not: a property test saw ordinary calls time out while other
 * suites ran), and the held answer must outlast the wait.
 */
export const NETWORK_TIMEOUT_MS = 2_000;
export const TIMEOUT_CARD_DELAY_MS = 3_000;

/**
 * A test server with the card network in-process, background jobs off (tests run the
 * outbox, the reconciler and the network's timer themselves), and a network timeout
 * short enough that the timeout card's held answer counts as lost.
 */
export function startWalletKonpay(env: Record<string, string> = {}, opts: Omit<StartOptions, 'logDestination'> = {}): Promise<TestKonpay> {
  return startTestKonpay({
    CARD_NETWORK_TIMEOUT_MS: String(NETWORK_TIMEOUT_MS), CARDNET_TIMEOUT_DELAY_MS: String(TIMEOUT_CARD_DELAY_MS), ...env,
  }, { worker: false, ...opts });
}

export interface Holder extends SignedUp {
  /** The account's UUID, as in the database. */
  uid: string;
  /** The phone the card issuer holds for the customer's cards (challenge codes go there). */
  cardPhone: string;
}

export async function customer(t: TestKonpay): Promise<Holder> {
  const c = await signUp(t);
  return { ...c, uid: fromPublicId('usr', c.userId)!, cardPhone: newCustomer('holder').phone };
}

const e164 = (jpPhone: string) => `+81${jpPhone.slice(1)}`;

export async function tokenise(t: TestKonpay, number: string, holder: Pick<Holder, 'cardPhone'>, cvc = '123'): Promise<{ token: string; fingerprint: string }> {
  const res = await t.konpay.cardnet!.app.inject({
    method: 'POST', url: '/cardnet/v1/tokens',
    payload: { number, expMonth: 12, expYear: 2031, cvc, holderName: 'HANAKO YAMADA', phone: holder.cardPhone },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { token: string; fingerprint: string };
}

const pathOf = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

/**
 * The browser at the issuer's challenge page: reads the SMS code (or types `code`),
 * posts it, and follows the redirect back to Konpay's return page. Returns that page.
 */
export async function passChallenge(t: TestKonpay, challengeUrl: string, holder: Pick<Holder, 'cardPhone'>, code?: string) {
  const acs = t.konpay.cardnet!.app;
  const page = await acs.inject({ method: 'GET', url: pathOf(challengeUrl) });
  expect(page.statusCode, page.body).toBe(200);
  const typed = code ?? (await latestCode(t, e164(holder.cardPhone), 'sms'));
  const posted = await acs.inject({
    method: 'POST', url: pathOf(challengeUrl),
    headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ code: typed }).toString(),
  });
  if (posted.statusCode !== 303) return { posted, returned: undefined };
  const returned = await t.konpay.app.inject({ method: 'GET', url: pathOf(posted.headers.location as string) });
  return { posted, returned };
}

export interface CardView { id: string; status: string; failureCode: string | null; last4: string }

export function requestCard(t: TestKonpay, c: Holder, token: string) {
  return t.konpay.app.inject({ method: 'POST', url: '/v1/cards', headers: bearer(c.token), payload: { token } });
}

/** Adds a card through the challenge; returns the card as the API then shows it. */
export async function addCard(t: TestKonpay, c: Holder, number: string = uniqueCard(), cvc = '123'): Promise<CardView> {
  const { token } = await tokenise(t, number, c, cvc);
  const res = await requestCard(t, c, token);
  expect(res.statusCode, res.body).toBe(201);
  const { card, nextAction } = res.json() as { card: CardView; nextAction: { url: string } };
  await passChallenge(t, nextAction.url, c);
  const after = await t.konpay.app.inject({ method: 'POST', url: `/v1/cards/${card.id}/verify`, headers: bearer(c.token) });
  expect(after.statusCode, after.body).toBe(200);
  return after.json() as CardView;
}

export interface TopupView { id: string; status: string; amount: number; failureCode: string | null; nextAction: { url: string } | null }

let keys = 0;
export const newKey = () => `test-${process.pid}-${Date.now()}-${++keys}`;

export function requestTopup(t: TestKonpay, c: Holder, cardId: string, amount: number, key = newKey()) {
  return t.konpay.app.inject({ method: 'POST', url: '/v1/topups', headers: { ...bearer(c.token), 'idempotency-key': key }, payload: { cardId, amount } });
}

/** A whole card top-up: request, challenge, back to Konpay; returns the top-up as it then stands. */
export async function topUp(t: TestKonpay, c: Holder, cardId: string, amount: number): Promise<TopupView> {
  const res = await requestTopup(t, c, cardId, amount);
  expect(res.statusCode, res.body).toBe(201);
  const created = res.json() as TopupView;
  await passChallenge(t, created.nextAction!.url, c);
  return getTopup(t, c, created.id);
}

export async function getTopup(t: TestKonpay, c: Holder, id: string): Promise<TopupView> {
  const res = await t.konpay.app.inject({ method: 'GET', url: `/v1/topups/${id}`, headers: bearer(c.token) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as TopupView;
}

export async function walletOf(t: TestKonpay, c: Holder): Promise<{ balance: number; available: number; pendingIn: number; frozen: boolean }> {
  const res = await t.konpay.app.inject({ method: 'GET', url: '/v1/wallet', headers: bearer(c.token) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { balance: number; available: number; pendingIn: number; frozen: boolean };
}

/** Every account's posted and pending totals sum to zero: nothing made or lost. */
export async function ledgerBalanced(t: TestKonpay): Promise<boolean> {
  const r = await t.konpay.pool.query<{ posted: number; pending: number }>(
    `SELECT coalesce(sum(credits_posted - debits_posted), 0)::int8 AS posted, coalesce(sum(credits_pending - debits_pending), 0)::int8 AS pending FROM ledger_accounts`,
  );
  return r.rows[0]!.posted === 0 && r.rows[0]!.pending === 0;
}
