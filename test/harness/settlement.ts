/**
 * Payments for settlement tests, booked exactly as the payments module books them: each
 * payment, same-day cancellation and refund is a ledger transfer (createTransfer, in
 * one transaction with its row), between the customer's wallet and one of the
 * merchant's payable shards, with the payment and store in the metadata.
 */
import { randomInt } from 'node:crypto';
import type pg from 'pg';
import { withTransaction } from '../../src/db/tx.js';
import { createMerchant, createStore, createTerminal, type MerchantDeps } from '../../src/merchants/service.js';
import type { Clock } from '../../src/shared/clock.js';
import { fromPublicId, newUuid, toPublicId } from '../../src/shared/ids.js';
import { jstDate } from '../../src/shared/jst.js';
import { newSecret, secretBytes } from '../../src/secrets.js';
import { ensureAccount, ensureWallet, payableCode } from '../../src/wallet/ledger/accounts.js';
import { createTransfer, type TransferSpec } from '../../src/wallet/ledger/ledger.js';

export interface TestStore { storeUuid: string; storeId: string; terminalUuid: string; merchantUuid: string; merchantId: string }
export interface TestMerchant { merchantUuid: string; merchantId: string; feeBp: number; stores: TestStore[] }
export interface TestPayment { id: string; store: TestStore; userUuid: string; amount: number; fee: number; shard: number; transferId: string; businessDate: string }

const fixedClock: Clock = { now: () => new Date('2026-01-01T00:00:00Z') };
let serial = 0;
let phones = 0;

async function book(q: pg.PoolClient, spec: TransferSpec, at: Date): Promise<void> {
  const r = await createTransfer(q, spec, at);
  if (r.kind !== 'created') throw new Error(`fixture transfer ${spec.id}: ${r.kind}`);
}

export class PaymentsFixture {
  constructor(private readonly pool: pg.Pool) {}

  /** A merchant charging `feeBp` basis points, with `stores` stores (each with a terminal). */
  async merchant(stores: number, feeBp: number): Promise<TestMerchant> {
    const deps: MerchantDeps = { pool: this.pool, clock: fixedClock, encryptionKey: secretBytes(newSecret()) };
    const m = await createMerchant(deps, { name: `Konbini ${++serial}` });
    const merchantUuid = fromPublicId('mer', m.id)!;
    const list: TestStore[] = [];
    for (let i = 0; i < stores; i++) {
      const s = await createStore(deps, { merchantId: m.id, name: `Store ${serial}-${i}` });
      if (s.kind !== 'created') throw new Error('store');
      const t = await createTerminal(deps, { storeId: s.id });
      if (t.kind !== 'created') throw new Error('terminal');
      list.push({ storeUuid: fromPublicId('sto', s.id)!, storeId: s.id, terminalUuid: fromPublicId('trm', t.terminalId)!, merchantUuid, merchantId: m.id });
    }
    return { merchantUuid, merchantId: m.id, feeBp, stores: list };
  }

  /** A customer whose wallet holds `balance` yen from a card top-up. */
  async customer(balance = 100_000): Promise<string> {
    const id = newUuid();
    const at = fixedClock.now();
    await withTransaction(this.pool, async (q) => {
      await q.query(
        `INSERT INTO users (id, email, email_verified_at, phone, phone_verified_at, password_hash, password_changed_at, created_at)
         VALUES ($1, $2, $3, $4, $3, 'x', $3, $3)`,
        [id, `settle-${id}@example.test`, at, `+8190${`${process.pid % 1000}${++phones}`.padStart(8, '0')}`],
      );
      const wallet = await ensureWallet(q, id, at);
      const clearing = await ensureAccount(q, 'card_clearing', 'card_clearing', null, at);
      await book(q, { phase: 'single', id: newUuid(), debitAccountId: clearing.id, creditAccountId: wallet.id, amount: balance, kind: 'topup_card' }, at);
    });
    return id;
  }

  async pay(m: TestMerchant, store: TestStore, userUuid: string, amount: number, at: string): Promise<TestPayment> {
    const when = new Date(at);
    const id = newUuid();
    const transferId = newUuid();
    const shard = randomInt(16);
    const fee = Math.floor((amount * m.feeBp) / 10_000);
    await withTransaction(this.pool, async (q) => {
      const wallet = await ensureWallet(q, userUuid, when);
      const payable = await ensureAccount(q, payableCode(store.merchantUuid, shard), 'merchant_payable', null, when);
      await book(q, {
        phase: 'single', id: transferId, debitAccountId: wallet.id, creditAccountId: payable.id, amount, kind: 'payment',
        metadata: { payment: toPublicId('pay', id), store: store.storeId, description: 'Store' },
      }, when);
      await q.query(
        `INSERT INTO payments (id, merchant_id, store_id, terminal_id, user_id, code_id, order_id, amount, fee, categories, status, transfer_id, business_date, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '{}', 'approved', $10, $11::date, $12)`,
        [id, store.merchantUuid, store.storeUuid, store.terminalUuid, userUuid, newUuid(), `order-${id}`, amount, fee, transferId, jstDate(when), when],
      );
    });
    return { id, store, userUuid, amount, fee, shard, transferId, businessDate: jstDate(when) };
  }

  /** The whole amount back on the payment's own business day, as the payments module allows. */
  async cancel(p: TestPayment, at: string): Promise<void> {
    const when = new Date(at);
    if (jstDate(when) !== p.businessDate) throw new Error('fixture: a cancellation is only allowed on the payment day');
    const transferId = newUuid();
    await withTransaction(this.pool, async (q) => {
      await book(q, await this.giveBack(q, p, p.amount, 'payment_cancel', transferId, when), when);
      const r = await q.query(
        `UPDATE payments SET status = 'canceled', canceled_at = $2, cancel_transfer_id = $3 WHERE id = $1 AND status = 'approved' AND refunded = 0`,
        [p.id, when, transferId],
      );
      if (r.rowCount !== 1) throw new Error('fixture: not cancelable');
    });
  }

  /** Part or all of a payment back, on any later day; attributed to the refund's own business day. */
  async refund(p: TestPayment, amount: number, at: string): Promise<void> {
    const when = new Date(at);
    const transferId = newUuid();
    await withTransaction(this.pool, async (q) => {
      await book(q, await this.giveBack(q, p, amount, 'refund', transferId, when), when);
      const r = await q.query(`UPDATE payments SET refunded = refunded + $2 WHERE id = $1 AND status = 'approved' AND refunded + $2 <= amount`, [p.id, amount]);
      if (r.rowCount !== 1) throw new Error('fixture: refund exceeds the payment');
      await q.query(
        `INSERT INTO payment_refunds (id, payment_id, store_id, terminal_id, amount, transfer_id, business_date, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7::date, $8)`,
        [newUuid(), p.id, p.store.storeUuid, p.store.terminalUuid, amount, transferId, jstDate(when), when],
      );
    });
  }

  /** From the same payable shard the payment credited, back to the customer's wallet. */
  private async giveBack(q: pg.PoolClient, p: TestPayment, amount: number, kind: 'payment_cancel' | 'refund', id: string, at: Date): Promise<TransferSpec> {
    const payable = await ensureAccount(q, payableCode(p.store.merchantUuid, p.shard), 'merchant_payable', null, at);
    const wallet = await ensureWallet(q, p.userUuid, at);
    return {
      phase: 'single', id, debitAccountId: payable.id, creditAccountId: wallet.id, amount, kind, reversesId: p.transferId,
      metadata: { payment: toPublicId('pay', p.id), store: p.store.storeId, description: 'Store' },
    };
  }
}

/** Every account's totals sum to zero: nothing made or lost. */
export async function ledgerSumsToZero(pool: pg.Pool): Promise<boolean> {
  const r = await pool.query<{ posted: number }>(`SELECT coalesce(sum(credits_posted - debits_posted), 0)::int8 AS posted FROM ledger_accounts`);
  return r.rows[0]!.posted === 0;
}

/** The posted balance of the account with this code (credits − debits), 0 when absent. */
export async function balanceOfCode(pool: pg.Pool, code: string): Promise<number> {
  const r = await pool.query<{ b: number }>(`SELECT (credits_posted - debits_posted)::int8 AS b FROM ledger_accounts WHERE code = $1`, [code]);
  return r.rows[0]?.b ?? 0;
}

/**
 * The day most settlement tests look at, D = 2026-03-10 (JST), from 2026-03-09T15:00Z
 * to 2026-03-10T15:00Z. Merchant A (3 %) has stores A1 and A2, merchant B (2.5 %) B1.
 *
 * | store | on D                                                           | later                         |
 * | A1    | ¥1,000 at D 00:00:00.000; ¥2,000 at D 23:59:59.999;            | ¥3,000 at D+1 00:00:00.000    |
 * |       | ¥1,500 canceled the same day; refund ¥200 of a D−1 payment     |                               |
 * | A2    | ¥4,000                                                         | refunds ¥1,000 D+1, ¥500 D+2  |
 * | B1    | ¥10,000                                                        | refund ¥2,000 D+1             |
 * and ¥500 at A1 at D−1 23:59:59.999 (D−1's).
 */
export const D = '2026-03-10';

export interface Scenario { a: TestMerchant; b: TestMerchant; a1: TestStore; a2: TestStore; b1: TestStore; customer: string; later(): Promise<void> }

export async function seedDay(fx: PaymentsFixture): Promise<Scenario> {
  const a = await fx.merchant(2, 300);
  const b = await fx.merchant(1, 250);
  const [a1, a2] = a.stores as [TestStore, TestStore];
  const b1 = b.stores[0]!;
  const customer = await fx.customer();
  const dayBefore = await fx.pay(a, a1, customer, 500, '2026-03-09T14:59:59.999Z');
  await fx.pay(a, a1, customer, 1000, '2026-03-09T15:00:00.000Z');
  await fx.pay(a, a1, customer, 2000, '2026-03-10T14:59:59.999Z');
  const canceled = await fx.pay(a, a1, customer, 1500, '2026-03-10T03:00:00Z');
  await fx.cancel(canceled, '2026-03-10T04:00:00Z');
  await fx.refund(dayBefore, 200, '2026-03-10T06:00:00Z');
  const p6 = await fx.pay(a, a2, customer, 4000, '2026-03-10T01:00:00Z');
  const p7 = await fx.pay(b, b1, customer, 10_000, '2026-03-10T05:00:00Z');
  return {
    a, b, a1, a2, b1, customer,
    async later() {
      await fx.pay(a, a1, customer, 3000, '2026-03-10T15:00:00.000Z');
      await fx.refund(p6, 1000, '2026-03-11T02:00:00Z');
      await fx.refund(p7, 2000, '2026-03-11T03:00:00Z');
      await fx.refund(p6, 500, '2026-03-12T02:00:00Z');
    },
  };
}
