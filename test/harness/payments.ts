/**
 * Paying at the till for tests: a payer with money (cash at the register, the real
 * path), a fresh code for each payment, and the till's signed requests.
 */
import { expect } from 'vitest';
import { insertCode } from '../../src/codes/repo/codes.js';
import { newPaymentCode, paymentCodeDigest } from '../../src/codes/format.js';
import { withTransaction } from '../../src/db/tx.js';
import type { PosResponse } from '../../src/pos/client.js';
import { secretBytes } from '../../src/secrets.js';
import { newUuid } from '../../src/shared/ids.js';
import { cashTopup } from './cash.js';
import { newPayer, unlockAndIssue, type Payer } from './codes.js';
import type { TestKonpay } from './konpay.js';
import type { TestTerminal } from './pos.js';

let orders = 0;
export const newOrder = () => `R-${process.pid}-${++orders}`;
let keys = 0;
export const posKey = () => `pos-${process.pid}-${Date.now()}-${++keys}`;

/** A fresh code from the customer's app (unlock by PIN, then issue). */
export async function codeOf(t: TestKonpay, who: Payer): Promise<string> {
  return (await unlockAndIssue(t, who)).code;
}

/** A customer holding `balance` yen, put there by cash at `term`'s register. */
export async function payerWith(t: TestKonpay, term: TestTerminal, balance: number): Promise<Payer> {
  const who = await newPayer(t);
  for (let left = balance; left > 0; left -= Math.min(left, 49_000)) {
    const r = await cashTopup(term, await codeOf(t, who), Math.min(left, 49_000));
    expect(r.status, JSON.stringify(r.json)).toBe(201);
  }
  return who;
}

/**
 * Codes for one account made straight into the table, as many as a test needs at once
 * (the app keeps one live code per device, so fifty concurrent payments need this).
 */
export async function codesFor(t: TestKonpay, who: Payer, n: number): Promise<string[]> {
  const key = secretBytes(t.config.secrets.signingKey);
  const session = await t.konpay.pool.query<{ id: string }>(`SELECT id FROM sessions WHERE user_id = $1 AND device_id = $2 LIMIT 1`, [who.uid, who.deviceId]);
  const now = t.konpay.identity.clock.now();
  const codes = Array.from({ length: n }, () => newPaymentCode());
  await withTransaction(t.konpay.pool, async (q) => {
    for (const code of codes) {
      await insertCode(q, { id: newUuid(), digest: paymentCodeDigest(key, code), userId: who.uid, deviceId: who.deviceId, sessionId: session.rows[0]!.id, now, expiresAt: new Date(now.getTime() + 300_000) });
    }
  });
  return codes;
}

export interface PosPayment { id: string; status: string; amount: number; refunded: number; orderId: string; refunds: { amount: number }[] }

export function pay(term: TestTerminal, code: string, amount: number, opts: { orderId?: string; key?: string; categories?: string[] } = {}): Promise<PosResponse> {
  return term.client.request('POST', '/pos/v1/payments', { code, amount, orderId: opts.orderId ?? newOrder(), categories: opts.categories ?? ['food'] }, { idempotencyKey: opts.key ?? posKey() });
}

export function cancel(term: TestTerminal, paymentId: string, key = posKey()): Promise<PosResponse> {
  return term.client.request('POST', `/pos/v1/payments/${paymentId}/cancel`, undefined, { idempotencyKey: key });
}

export function refund(term: TestTerminal, paymentId: string, amount: number, key = posKey()): Promise<PosResponse> {
  return term.client.request('POST', `/pos/v1/payments/${paymentId}/refunds`, { amount }, { idempotencyKey: key });
}

export const declineOf = (r: PosResponse) => (r.json as { code?: string; reason?: string }).reason;
export const codeOfProblem = (r: PosResponse) => (r.json as { code?: string }).code;
