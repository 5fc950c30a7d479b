/**
 * Cash top-up at the register (WAL-4, WAL-5, WAL-2): the till scans the customer's code,
 * takes the cash and asks for the credit, signed by its terminal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceOfUser, cashCredits, cashTopup, codesUsed, tillKey, type Receipt } from '../../test/harness/cash.js';
import { newPayer, unlockAndIssue, type Payer } from '../../test/harness/codes.js';
import { bearer, messagesTo } from '../../test/harness/customer.js';
import type { TestKonpay } from '../../test/harness/konpay.js';
import { problemCode, startTill, type TestTerminal } from '../../test/harness/pos.js';
import { ledgerBalanced } from '../../test/harness/wallet.js';
import { withTransaction } from '../db/tx.js';
import { ManualClock } from '../shared/clock.js';
import { fromPublicId, newUuid } from '../shared/ids.js';
import { ensureAccount, lockWallet } from '../wallet/ledger/accounts.js';
import { createTransfer } from '../wallet/ledger/ledger.js';

const clock = new ManualClock('2026-11-25T01:00:00Z');
let t: TestKonpay;
let term: TestTerminal;

beforeAll(async () => {
  ({ t, term } = await startTill(clock));
});
afterAll(() => t?.stop());

const codeFor = async (who: Payer) => (await unlockAndIssue(t, who)).code;
const problemOf = (r: { json: unknown }) => r.json as { code: string; reason?: string; limit?: number; remaining?: number };

describe('a cash top-up', () => {
  it('credits the wallet once, from the store\'s cash, and tells the customer by e-mail with a freeze link', async () => {
    const who = await newPayer(t);
    const code = await codeFor(who);
    const r = await cashTopup(term, code, 3000);
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    const receipt = r.json as Receipt;
    expect(receipt).toEqual({
      id: expect.stringMatching(/^txn_[0-9a-f]{32}$/), amount: 3000, createdAt: clock.now().toISOString(),
      store: { id: term.storeId, name: expect.stringMatching(/^Shibuya/) }, terminalId: term.terminalId, codeEnding: code.slice(-4),
    });
    expect(await balanceOfUser(t, who.uid)).toBe(3000);
    expect(await ledgerBalanced(t)).toBe(true);

    const [credit] = await cashCredits(t, who.uid);
    expect(credit!.id).toBe(fromPublicId('txn', receipt.id));
    expect(credit!.metadata).toEqual({ description: `${receipt.store.name} (cash)`, store: term.storeId, terminal: term.terminalId });
    const till = await t.konpay.pool.query<{ code: string; kind: string }>(
      `SELECT a.code, a.kind FROM ledger_transfers tr JOIN ledger_accounts a ON a.id = tr.debit_account_id WHERE tr.id = $1`, [credit!.id]);
    expect(till.rows[0]).toEqual({ code: `store_cash:${fromPublicId('sto', term.storeId)}`, kind: 'store_cash' });

    const mail = (await messagesTo(t, who.email)).filter((m) => m.subject?.includes('Cash top-up'));
    expect(mail).toHaveLength(1);
    expect(mail[0]!.body).toContain('¥3,000');
    expect(mail[0]!.body).toContain(`${receipt.store.name} (cash)`);
    expect(mail[0]!.body).toContain('Balance: ¥3,000');
    expect(mail[0]!.body).toContain('/v1/freeze?token=');
  });

  it('shows in the customer\'s history under the store\'s name', async () => {
    const who = await newPayer(t);
    const receipt = (await cashTopup(term, await codeFor(who), 2000)).json as Receipt;
    const res = await t.konpay.app.inject({ method: 'GET', url: '/v1/wallet/history', headers: bearer(who.token) });
    expect(res.json()).toMatchObject({ movements: [{ id: receipt.id, kind: 'topup_cash', amount: 2000, description: `${receipt.store.name} (cash)` }] });
  });

  it('answers the till no balance, e-mail, phone or account id', async () => {
    const who = await newPayer(t);
    const r = await cashTopup(term, await codeFor(who), 5000);
    const text = JSON.stringify(r.json);
    expect(r.status).toBe(201);
    for (const secret of [who.email, who.phone, who.phoneE164, who.userId, who.uid]) expect(text).not.toContain(secret);
    expect(Object.keys(r.json as object).sort()).toEqual(['amount', 'codeEnding', 'createdAt', 'id', 'store', 'terminalId']);
  });
});

describe('limits (WAL-5)', () => {
  it('refuses ¥1,500 (¥1,000 steps), ¥500 and ¥50,000 (at most ¥49,000), and the code still works after', async () => {
    const who = await newPayer(t);
    const code = await codeFor(who);
    const steps = await cashTopup(term, code, 1500);
    expect(steps.status).toBe(422);
    expect(problemOf(steps)).toMatchObject({ code: 'cash_topup_limit_exceeded', reason: 'not_in_steps', limit: 1000 });
    expect(problemOf(await cashTopup(term, code, 500))).toMatchObject({ reason: 'below_minimum', limit: 1000 });
    expect(problemOf(await cashTopup(term, code, 50_000))).toMatchObject({ reason: 'above_maximum', limit: 49_000, remaining: 49_000 });
    expect(await codesUsed(t, who.uid)).toBe(0);
    expect(await balanceOfUser(t, who.uid)).toBe(0);
    expect((await cashTopup(term, code, 49_000)).status).toBe(201);
    expect(await balanceOfUser(t, who.uid)).toBe(49_000);
  });

  it('keeps the wallet at ¥100,000 at most; a refused amount leaves the code for a smaller one', async () => {
    const who = await newPayer(t);
    expect((await cashTopup(term, await codeFor(who), 49_000)).status).toBe(201);
    expect((await cashTopup(term, await codeFor(who), 49_000)).status).toBe(201);
    const code = await codeFor(who);
    const over = await cashTopup(term, code, 3000);
    expect(over.status).toBe(422);
    expect(problemOf(over)).toMatchObject({ code: 'cash_topup_limit_exceeded', reason: 'balance_limit', limit: 100_000, remaining: 2000 });
    expect(await codesUsed(t, who.uid)).toBe(2);
    expect(await balanceOfUser(t, who.uid)).toBe(98_000);
    expect((await cashTopup(term, code, 2000)).status).toBe(201);
    expect(await balanceOfUser(t, who.uid)).toBe(100_000);
    expect(await ledgerBalanced(t)).toBe(true);
  });

  it('tells the till the room left only in whole ¥1,000 steps, not the balance it hides', async () => {
    const who = await newPayer(t);
    // ¥98,500 through another route (a refund, say): ¥1,500 of room.
    await withTransaction(t.konpay.pool, async (q) => {
      const from = await ensureAccount(q, 'compensation', 'compensation', null, clock.now());
      const wallet = await lockWallet(q, who.uid, clock.now());
      await createTransfer(q, { phase: 'single', id: newUuid(), debitAccountId: from.id, creditAccountId: wallet.id, amount: 98_500, kind: 'refund' }, clock.now());
    });
    const over = await cashTopup(term, await codeFor(who), 2000);
    expect(problemOf(over)).toMatchObject({ reason: 'balance_limit', remaining: 1000 });
    expect(JSON.stringify(over.json)).not.toMatch(/1,?500/);
  });
});

describe('idempotency (WAL-2)', () => {
  it('a retry with the same key answers the first receipt and credits nothing more', async () => {
    const who = await newPayer(t);
    const code = await codeFor(who);
    const key = tillKey();
    const first = await cashTopup(term, code, 4000, key);
    const again = await cashTopup(term, code, 4000, key);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.json).toEqual(first.json);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(await cashCredits(t, who.uid)).toHaveLength(1);
    expect(await balanceOfUser(t, who.uid)).toBe(4000);
  });

  it('the same key with another body is refused (409)', async () => {
    const who = await newPayer(t);
    const code = await codeFor(who);
    const key = tillKey();
    expect((await cashTopup(term, code, 4000, key)).status).toBe(201);
    const other = await cashTopup(term, code, 5000, key);
    expect(other.status).toBe(409);
    expect(problemCode(other)).toBe('idempotency_key_reused');
    expect(await balanceOfUser(t, who.uid)).toBe(4000);
  });

  it('a refusal is kept too: the retry gets the same problem, marked as a replay', async () => {
    const who = await newPayer(t);
    const code = await codeFor(who);
    const key = tillKey();
    const a = await cashTopup(term, code, 1500, key);
    const b = await cashTopup(term, code, 1500, key);
    expect(a.status).toBe(422);
    expect(b.json).toEqual(a.json);
    expect(b.headers.get('content-type')).toContain('application/problem+json');
    expect(b.headers.get('idempotent-replayed')).toBe('true');
  });

  it('without a key nothing happens and the code stays usable', async () => {
    const who = await newPayer(t);
    const code = await codeFor(who);
    const r = await cashTopup(term, code, 1000, null);
    expect(r.status).toBe(400);
    expect(problemCode(r)).toBe('idempotency_key_required');
    expect(await codesUsed(t, who.uid)).toBe(0);
    expect((await cashTopup(term, code, 1000)).status).toBe(201);
  });
});

describe('the scanned code (PAY-5)', () => {
  it('works once: the same code under another key is refused as used', async () => {
    const who = await newPayer(t);
    const code = await codeFor(who);
    expect((await cashTopup(term, code, 1000)).status).toBe(201);
    const second = await cashTopup(term, code, 1000);
    expect(second.status).toBe(422);
    expect(problemCode(second)).toBe('payment_code_used');
    expect(await balanceOfUser(t, who.uid)).toBe(1000);
  });

  it('is refused with its reason when unknown, superseded, expired or signed out', async () => {
    const who = await newPayer(t);
    expect(problemCode(await cashTopup(term, '99000000000000000000', 1000))).toBe('payment_code_unknown');
    expect(problemCode(await cashTopup(term, 'not a code', 1000))).toBe('payment_code_unknown');

    const old = await codeFor(who);
    await codeFor(who);
    expect(problemCode(await cashTopup(term, old, 1000))).toBe('payment_code_superseded');

    const late = await codeFor(who);
    clock.advance(5 * 60_000);
    expect(problemCode(await cashTopup(term, late, 1000))).toBe('payment_code_expired');

    const orphan = await codeFor(who);
    const out = await t.konpay.app.inject({ method: 'POST', url: '/v1/logout', headers: bearer(who.token) });
    expect(out.statusCode).toBe(204);
    const r = await cashTopup(term, orphan, 1000);
    expect([r.status, problemCode(r)]).toEqual([422, 'payment_code_revoked']);
    expect(await balanceOfUser(t, who.uid)).toBe(0);
  });

  it('every refusal is documented in the problem catalogue', async () => {
    for (const code of ['payment_code_unknown', 'payment_code_expired', 'payment_code_used', 'payment_code_superseded', 'payment_code_revoked', 'cash_topup_limit_exceeded']) {
      expect((await t.konpay.app.inject({ method: 'GET', url: `/problems/${code}` })).statusCode, code).toBe(200);
    }
  });
});
