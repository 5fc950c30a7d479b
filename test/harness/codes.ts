/**
 * Driving the app's pay screen as a customer would: set the device PIN, unlock, make a
 * payment code; and playing the till: consume a code in a transaction of its own.
 */
import { expect } from 'vitest';
import { consumePaymentCode, peekPaymentCode, type CodeOutcome } from '../../src/codes/consume.js';
import { withTransaction } from '../../src/db/tx.js';
import { secretBytes } from '../../src/secrets.js';
import { fromPublicId } from '../../src/shared/ids.js';
import { bearer, signUp, type SignedUp } from './customer.js';
import type { TestKonpay } from './konpay.js';

export const PIN = '2580';

export interface Payer extends SignedUp {
  /** The account's and the signed-up device's UUIDs, as in the database. */
  uid: string;
  deviceId: string;
}

export interface IssuedCodeBody {
  code: string;
  expiresAt: string;
  refreshAt: string;
  barcodeSvg: string;
  qrSvg: string;
}

export function pinRequest(t: TestKonpay, token: string, pin: string) {
  return t.konpay.app.inject({ method: 'PUT', url: '/v1/devices/current/pin', payload: { pin }, headers: bearer(token) });
}

export function unlockRequest(t: TestKonpay, token: string, body: object) {
  return t.konpay.app.inject({ method: 'POST', url: '/v1/unlock', payload: body, headers: bearer(token) });
}

export function codeRequest(t: TestKonpay, token: string) {
  return t.konpay.app.inject({ method: 'POST', url: '/v1/payment-codes', headers: bearer(token) });
}

/** A new customer on their signed-up phone, with the app PIN set (the fresh sign-in is privileged). */
export async function newPayer(t: TestKonpay, pin = PIN): Promise<Payer> {
  const who = await signUp(t);
  const uid = fromPublicId('usr', who.userId)!;
  const row = await t.db.pool.query<{ device_id: string }>(`SELECT device_id FROM sessions WHERE user_id = $1`, [uid]);
  const set = await pinRequest(t, who.token, pin);
  expect(set.statusCode, set.body).toBe(204);
  return { ...who, uid, deviceId: row.rows[0]!.device_id };
}

/** Unlocks with the PIN and makes a code; answers the 201 body. */
export async function unlockAndIssue(t: TestKonpay, who: SignedUp, pin = PIN): Promise<IssuedCodeBody> {
  const u = await unlockRequest(t, who.token, { method: 'pin', pin });
  expect(u.statusCode, u.body).toBe(200);
  return issue(t, who);
}

export async function issue(t: TestKonpay, who: SignedUp): Promise<IssuedCodeBody> {
  const res = await codeRequest(t, who.token);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as IssuedCodeBody;
}

/** What a till would get for `code` in a transaction of its own, committed. */
export function consume(t: TestKonpay, code: string, now: Date, onRetry?: () => void): Promise<CodeOutcome> {
  const d = { signingKey: secretBytes(t.config.secrets.signingKey) };
  return withTransaction(t.konpay.pool, (q) => consumePaymentCode(d, q, code, now), onRetry ? { onRetry } : {});
}

export function peek(t: TestKonpay, code: string, now: Date): Promise<CodeOutcome> {
  return peekPaymentCode({ signingKey: secretBytes(t.config.secrets.signingKey) }, t.konpay.pool, code, now);
}
