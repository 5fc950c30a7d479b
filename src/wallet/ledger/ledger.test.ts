import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../../test/harness/db.js';
import { withTransaction } from '../../db/tx.js';
import { newUuid } from '../../shared/ids.js';
import { availableOf, balanceOf, ensureAccount } from './accounts.js';
import { createLinked, createTransfer, voidExpired, type TransferSpec } from './ledger.js';
import { findAccount, ledgerTotals, type AccountRow } from './repo.js';

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(() => db.drop());

const now = new Date('2026-11-25T03:00:00Z');
const later = (ms: number) => new Date(now.getTime() + ms);
let wallet: AccountRow;
let clearing: AccountRow;
let payable: AccountRow;

beforeEach(async () => {
  const tag = newUuid();
  await withTransaction(db.pool, async (q) => {
    wallet = await ensureAccount(q, `wallet:${tag}`, 'wallet', null, now);
    clearing = await ensureAccount(q, `card_clearing:${tag}`, 'card_clearing', null, now);
    payable = await ensureAccount(q, `merchant_payable:${tag}`, 'merchant_payable', null, now);
  });
});

const tx = <T>(fn: Parameters<typeof withTransaction<T>>[1]) => withTransaction(db.pool, fn);
const transfer = (spec: TransferSpec, at = now) => tx((q) => createTransfer(q, spec, at));
const account = async (a: AccountRow) => (await findAccount(db.pool, a.id))!;
const topUp = (amount: number, id = newUuid()) =>
  transfer({ phase: 'single', id, debitAccountId: clearing.id, creditAccountId: wallet.id, amount, kind: 'topup_card' });
const pay = (amount: number, id = newUuid()) =>
  transfer({ phase: 'single', id, debitAccountId: wallet.id, creditAccountId: payable.id, amount, kind: 'payment' });

describe('single transfers (WAL-1)', () => {
  it('moves money between two accounts and keeps debits equal to credits', async () => {
    expect((await topUp(5000)).kind).toBe('created');
    expect((await pay(1200)).kind).toBe('created');
    expect(balanceOf(await account(wallet))).toBe(3800);
    expect(await account(payable)).toMatchObject({ credits_posted: 1200, debits_posted: 0 });
    const totals = await ledgerTotals(db.pool);
    expect(totals.debitsPosted).toBe(totals.creditsPosted);
  });

  it('never takes a wallet below zero, and leaves no trace when it refuses', async () => {
    await topUp(1000);
    const id = newUuid();
    expect(await pay(1001, id)).toEqual({ kind: 'insufficient_funds' });
    expect(balanceOf(await account(wallet))).toBe(1000);
    expect(await account(payable)).toMatchObject({ credits_posted: 0 });
    // The id was not used up: the same transfer can succeed once there is money.
    await topUp(1);
    expect((await pay(1001, id)).kind).toBe('created');
    expect(balanceOf(await account(wallet))).toBe(0);
  });

  it('answers a retry with the first result and changes nothing; refuses the same id with other fields', async () => {
    await topUp(3000);
    const id = newUuid();
    const first = await pay(500, id);
    const again = await pay(500, id);
    expect(first.kind).toBe('created');
    expect(again.kind).toBe('exists');
    expect(balanceOf(await account(wallet))).toBe(2500);
    expect(await pay(600, id)).toEqual({ kind: 'id_conflict' });
  });

  it('refuses amounts that are not positive integer yen, and transfers to oneself', async () => {
    for (const amount of [0, -5, 1.5, Number.MAX_SAFE_INTEGER + 2]) {
      expect(await topUp(amount)).toEqual({ kind: 'invalid_amount' });
    }
    expect(await transfer({ phase: 'single', id: newUuid(), debitAccountId: wallet.id, creditAccountId: wallet.id, amount: 1, kind: 'x' })).toEqual({ kind: 'same_account' });
    expect(await transfer({ phase: 'single', id: newUuid(), debitAccountId: newUuid(), creditAccountId: wallet.id, amount: 1, kind: 'x' })).toEqual({ kind: 'account_not_found' });
    expect(balanceOf(await account(wallet))).toBe(0);
  });
});

describe('two-phase transfers', () => {
  it('reserves funds while pending, then posts all or part', async () => {
    await topUp(10_000);
    const hold = newUuid();
    await transfer({ phase: 'pending', id: hold, debitAccountId: wallet.id, creditAccountId: payable.id, amount: 4000, kind: 'payment', expiresAt: later(60_000) });
    expect(availableOf(await account(wallet))).toBe(6000);
    expect(balanceOf(await account(wallet))).toBe(10_000);
    expect(await pay(6001)).toEqual({ kind: 'insufficient_funds' }); // the reservation holds

    const post = await transfer({ phase: 'post_pending', id: newUuid(), pendingId: hold, amount: 3500 });
    expect(post.kind).toBe('created');
    const w = await account(wallet);
    expect([balanceOf(w), availableOf(w), w.debits_pending]).toEqual([6500, 6500, 0]);
    expect(await transfer({ phase: 'void_pending', id: newUuid(), pendingId: hold })).toEqual({ kind: 'pending_already_resolved', by: 'post_pending' });
  });

  it('voids, refuses to post past expiry or above the reserved amount, and sweeps expired holds', async () => {
    await topUp(5000);
    const hold = () => {
      const id = newUuid();
      return transfer({ phase: 'pending', id, debitAccountId: wallet.id, creditAccountId: payable.id, amount: 1000, kind: 'payment', expiresAt: later(60_000) }).then(() => id);
    };
    const a = await hold();
    expect((await transfer({ phase: 'void_pending', id: newUuid(), pendingId: a })).kind).toBe('created');
    const b = await hold();
    expect(await transfer({ phase: 'post_pending', id: newUuid(), pendingId: b, amount: 1001 })).toEqual({ kind: 'amount_exceeds_pending' });
    expect(await transfer({ phase: 'post_pending', id: newUuid(), pendingId: b }, later(60_001))).toEqual({ kind: 'pending_expired' });
    expect(await tx((q) => voidExpired(q, later(60_001), 100, newUuid))).toBeGreaterThanOrEqual(1);
    expect(await transfer({ phase: 'post_pending', id: newUuid(), pendingId: b })).toEqual({ kind: 'pending_already_resolved', by: 'void_pending' });
    const w = await account(wallet);
    expect([balanceOf(w), availableOf(w)]).toEqual([5000, 5000]);
  });
});

describe('linked transfers', () => {
  it('commit together or not at all, without aborting the caller', async () => {
    await topUp(1000);
    const fee = await tx(async (q) => ensureAccount(q, `fee_revenue:${newUuid()}`, 'fee_revenue', null, now));
    const r = await tx(async (q) => {
      const out = await createLinked(q, [
        { phase: 'single', id: newUuid(), debitAccountId: wallet.id, creditAccountId: payable.id, amount: 900, kind: 'payment' },
        { phase: 'single', id: newUuid(), debitAccountId: wallet.id, creditAccountId: fee.id, amount: 200, kind: 'fee' },
      ], now);
      // The transaction is still usable after the group failed.
      await q.query('SELECT 1');
      return out;
    });
    expect(r).toMatchObject({ kind: 'failed', index: 1, outcome: { kind: 'insufficient_funds' } });
    expect(balanceOf(await account(wallet))).toBe(1000);
    expect((await account(payable)).credits_posted).toBe(0);
  });
});
