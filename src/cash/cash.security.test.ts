/**
 * Attacks on cash top-ups at the register (WAL-4, PAY-2, PAY-5): forged and replayed till
 * requests, racing tills, frozen accounts, and what the till may learn about a customer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceOfUser, CASH_TOPUPS, cashCredits, cashTopup, codesUsed, tillKey, type Receipt } from '../../test/harness/cash.js';
import { newPayer, unlockAndIssue, type Payer } from '../../test/harness/codes.js';
import { messagesTo } from '../../test/harness/customer.js';
import type { TestKonpay } from '../../test/harness/konpay.js';
import { merchantDeps, newTerminal, problemCode, signedSend, startTill, type TestTerminal } from '../../test/harness/pos.js';
import { ledgerBalanced } from '../../test/harness/wallet.js';
import { freezeUser, setRestrictedUntil } from '../identity/repo/users.js';
import { suspendTerminal } from '../merchants/service.js';
import { send } from '../pos/client.js';
import { ManualClock } from '../shared/clock.js';

const clock = new ManualClock('2026-11-25T01:00:00Z');
let t: TestKonpay;
let term: TestTerminal;

beforeAll(async () => {
  ({ t, term } = await startTill(clock));
});
afterAll(() => t?.stop());

const codeFor = async (who: Payer) => (await unlockAndIssue(t, who)).code;
const nothingMoved = async (who: Payer) => {
  expect(await balanceOfUser(t, who.uid)).toBe(0);
  expect(await codesUsed(t, who.uid)).toBe(0);
};

describe('attack: a forged till request', () => {
  it('unsigned is refused (401) and credits nothing', async () => {
    const who = await newPayer(t);
    const code = await codeFor(who);
    const r = await send({ url: `${t.konpay.url}${CASH_TOPUPS}`, method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': tillKey() }, body: JSON.stringify({ code, amount: 49_000 }) });
    expect([r.status, problemCode(r)]).toEqual([401, 'pos_signature_missing']);
    await nothingMoved(who);
  });

  it('signed with a wrong secret, or changed after signing, is refused (401) and credits nothing', async () => {
    const who = await newPayer(t);
    const code = await codeFor(who);
    const headers = { 'idempotency-key': tillKey() };
    const wrong = await signedSend(t, term, { method: 'POST', path: CASH_TOPUPS, body: JSON.stringify({ code, amount: 1000 }), secret: `sk_${'A'.repeat(43)}`, headers });
    expect([wrong.status, problemCode(wrong)]).toEqual([401, 'pos_signature_invalid']);
    const tampered = await signedSend(t, term, {
      method: 'POST', path: CASH_TOPUPS, body: JSON.stringify({ code, amount: 1000 }), sendBody: JSON.stringify({ code, amount: 49_000 }), headers,
    });
    expect([tampered.status, problemCode(tampered)]).toEqual([401, 'pos_signature_invalid']);
    await nothingMoved(who);
  });

  it('a captured request sent again is refused by its nonce, even with another Idempotency-Key', async () => {
    const who = await newPayer(t);
    const code = await codeFor(who);
    const p = await term.client.prepare('POST', CASH_TOPUPS, { code, amount: 1000 }, { idempotencyKey: tillKey() });
    expect((await send(p)).status).toBe(201);
    const replay = await send({ ...p, headers: { ...p.headers, 'idempotency-key': tillKey() } });
    expect([replay.status, problemCode(replay)]).toEqual([401, 'pos_nonce_reused']);
    expect(await balanceOfUser(t, who.uid)).toBe(1000);
  });

  it('from a suspended terminal is refused (403) and credits nothing', async () => {
    const who = await newPayer(t);
    const code = await codeFor(who);
    const lost = await newTerminal(t);
    await suspendTerminal(merchantDeps(t), lost.terminalId);
    const r = await cashTopup(lost, code, 1000);
    expect([r.status, problemCode(r)]).toEqual([403, 'pos_terminal_suspended']);
    await nothingMoved(who);
  });
});

describe('attack: two tills racing on one code (PAY-5)', () => {
  it('credits exactly once; the other till is told the code was used', async () => {
    const who = await newPayer(t);
    const code = await codeFor(who);
    const other = await newTerminal(t);
    const results = await Promise.all([cashTopup(term, code, 10_000), cashTopup(other, code, 10_000)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 422]);
    expect(problemCode(results.find((r) => r.status === 422)!)).toBe('payment_code_used');
    expect(await cashCredits(t, who.uid)).toHaveLength(1);
    expect(await balanceOfUser(t, who.uid)).toBe(10_000);
    expect(await ledgerBalanced(t)).toBe(true);
  });

  it('one till sending the same request five times at once credits once', async () => {
    const who = await newPayer(t);
    const code = await codeFor(who);
    const key = tillKey();
    const results = await Promise.all(Array.from({ length: 5 }, () => cashTopup(term, code, 2000, key)));
    expect(results.filter((r) => r.status === 201).length).toBeGreaterThanOrEqual(1);
    expect(results.every((r) => r.status === 201 || problemCode(r) === 'idempotency_request_in_progress')).toBe(true);
    expect(await cashCredits(t, who.uid)).toHaveLength(1);
  });

  it('another terminal reusing a till\'s key gets no look at that till\'s receipt', async () => {
    const who = await newPayer(t);
    const code = await codeFor(who);
    const key = tillKey();
    expect((await cashTopup(term, code, 1000, key)).status).toBe(201);
    const other = await newTerminal(t);
    const r = await cashTopup(other, code, 1000, key);
    expect([r.status, problemCode(r)]).toEqual([422, 'payment_code_used']);
    expect(r.headers.get('idempotent-replayed')).toBeNull();
  });
});

describe('attack: topping up an account that should not move', () => {
  it('a frozen account is refused (423), credits nothing and leaves the code unused', async () => {
    const who = await newPayer(t);
    const code = await codeFor(who);
    await freezeUser(t.konpay.pool, who.uid, 'test', clock.now());
    const r = await cashTopup(term, code, 1000);
    expect([r.status, problemCode(r)]).toEqual([423, 'account_frozen']);
    await nothingMoved(who);
    expect(await ledgerBalanced(t)).toBe(true);
  });

  it('restricted mode (ID-10) does not stop cash handed over at the till', async () => {
    const who = await newPayer(t);
    await setRestrictedUntil(t.konpay.pool, who.uid, new Date(clock.now().getTime() + 24 * 3_600_000));
    const r = await cashTopup(term, await codeFor(who), 5000);
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    expect(await balanceOfUser(t, who.uid)).toBe(5000);
  });
});

describe('what the till learns', () => {
  it('no balance, contact or account id in receipts or refusals; the customer gets the balance instead', async () => {
    const who = await newPayer(t);
    const receipt = await cashTopup(term, await codeFor(who), 49_000);
    expect(receipt.status).toBe(201);
    const refusal = await cashTopup(term, await codeFor(who), 1500);
    for (const r of [receipt, refusal]) {
      const text = JSON.stringify(r.json);
      for (const secret of [who.email, who.phone, who.phoneE164, who.userId, who.uid, '49,000', 'balance']) expect(text).not.toContain(secret);
    }
    expect((receipt.json as Receipt).amount).toBe(49_000);
    const mail = (await messagesTo(t, who.email)).find((m) => m.subject?.includes('Cash top-up'));
    expect(mail?.body).toContain('Balance: ¥49,000');
  });

  it('the scanned code never reaches the logs', async () => {
    const who = await newPayer(t);
    const code = await codeFor(who);
    await cashTopup(term, code, 1000);
    await cashTopup(term, code, 1000);
    expect(t.logs.text).not.toContain(code);
  });
});
