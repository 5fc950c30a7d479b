/**
 * Per-customer card top-up caps (OPS-2, WAL-5) where card top-ups start
 * (src/topups/create.ts reads the customer's limits under the account and wallet locks):
 * a raise approved by a second operator lets through the top-up the default refused; a
 * lowering refuses one the default allowed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestKonpay } from '../../../test/harness/konpay.js';
import { consoleRequest, newOperator, signInOperator, type ConsoleSession } from '../../../test/harness/operators.js';
import { addCard, customer, requestTopup, startWalletKonpay, topUp, type Holder } from '../../../test/harness/wallet.js';

let t: TestKonpay;
let risk: ConsoleSession;
let risk2: ConsoleSession;

beforeAll(async () => {
  t = await startWalletKonpay();
  risk = await signInOperator(t, await newOperator(t, 'risk', 'Sato Yui'));
  risk2 = await signInOperator(t, await newOperator(t, 'risk', 'Kato Ren'));
});
afterAll(() => t?.stop());

const setLimits = (who: Holder, body: object) =>
  consoleRequest<{ approval: { id: string } }>(t, risk, 'PUT', `/ops/v1/customers/${who.userId}/limits`, { reason: 'Ticket 4711', ...body });

describe('card top-ups honour the customer\'s own 24-hour cap', () => {
  it('a raised cap, once a second operator approves it, lets through the top-up the default refused', async () => {
    const c = await customer(t);
    const card = await addCard(t, c);
    expect((await topUp(t, c, card.id, 30_000)).status).toBe('succeeded');
    const refused = await requestTopup(t, c, card.id, 30_000);
    expect(refused.json()).toMatchObject({ code: 'topup_limit_exceeded', reason: 'daily_limit', limit: 50_000 });

    const asked = await setLimits(c, { cardTopup24h: 80_000 });
    expect(asked.status).toBe(202);
    expect((await requestTopup(t, c, card.id, 30_000)).json()).toMatchObject({ reason: 'daily_limit' });
    expect((await consoleRequest(t, risk2, 'POST', `/ops/v1/approvals/${asked.json.approval.id}/approve`, {})).status).toBe(200);
    const allowed = await requestTopup(t, c, card.id, 30_000);
    expect(allowed.statusCode, allowed.body).toBe(201);
  });

  it('a lowered cap refuses a top-up the default allowed', async () => {
    const c = await customer(t);
    const card = await addCard(t, c);
    expect((await setLimits(c, { cardTopup24h: 3000 })).status).toBe(200);
    const r = await requestTopup(t, c, card.id, 5000);
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({ code: 'topup_limit_exceeded', reason: 'daily_limit', limit: 3000, remaining: 3000 });
  });
});
