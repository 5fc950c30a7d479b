/** PAY-4: closing a day books its fees once; the payout file pays each payee its positive net. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../test/harness/db.js';
import { balanceOfCode, D, ledgerSumsToZero, PaymentsFixture, seedDay, type Scenario } from '../../test/harness/settlement.js';
import { ManualClock } from '../shared/clock.js';
import { setBankAccount, type BankAccountDetails } from './bank-accounts.js';
import { closeDay, feeTransferId, readDay } from './close.js';
import { preparePayout } from './payout.js';
import { settlementReport } from './report.js';
import { parseZenginFile } from './zengin-parse.js';
import type { Remitter } from './zengin.js';

let db: TestDb;
let fx: PaymentsFixture;
let s: Scenario;
const clock = new ManualClock('2026-03-11T00:00:00Z');
const deps = () => ({ pool: db.pool, clock });

const remitter: Remitter = {
  code: '1234567890', name: 'ｺﾝﾍﾟｲ(ｶ', bankCode: '9999', bankName: 'ﾃｽﾄｷﾞﾝｺｳ', branchCode: '001', branchName: 'ﾎﾝﾃﾝ', accountType: 1, accountNumber: '0000001',
};
const account = (holder: string, accountNumber: string): BankAccountDetails => ({
  bankCode: '0005', bankName: 'ﾐﾂﾋﾞｼUFJ', branchCode: '123', branchName: 'ｼﾌﾞﾔ', accountType: '1', accountNumber, holder,
});

beforeAll(async () => {
  db = await createTestDb();
  fx = new PaymentsFixture(db.pool);
  s = await seedDay(fx);
});
afterAll(() => db.drop());

describe('closing a day', () => {
  it('is refused until the JST day is over (plus the grace for payments still committing)', async () => {
    clock.set('2026-03-10T15:04:59Z'); // D+1 00:04:59 JST
    expect(await closeDay(deps(), D)).toMatchObject({ kind: 'refused', code: 'settlement_day_not_over' });
  });

  it('books each store\'s fees once, from the merchant\'s payable shard 0 to fee_revenue, however often it runs', async () => {
    clock.set('2026-03-10T15:06:00Z');
    const first = await closeDay(deps(), D);
    expect(first).toEqual({
      kind: 'closed', date: D, total: 460,
      fees: expect.arrayContaining([
        { storeId: s.a1.storeId, amount: 90, outcome: 'booked' },
        { storeId: s.a2.storeId, amount: 120, outcome: 'booked' },
        { storeId: s.b1.storeId, amount: 250, outcome: 'booked' },
      ]),
    });
    const again = await closeDay(deps(), D);
    expect(again.kind === 'closed' && again.fees.every((f) => f.outcome === 'already_booked')).toBe(true);
    expect(await balanceOfCode(db.pool, 'fee_revenue')).toBe(460);
    const fee = (await db.pool.query(`SELECT kind, amount, metadata FROM ledger_transfers WHERE id = $1`, [feeTransferId(s.a1.storeUuid, D)])).rows[0];
    expect(fee).toEqual({ kind: 'fee', amount: 90, metadata: { store: s.a1.storeId, merchant: s.a.merchantId, businessDate: D } });
    const debited = await db.pool.query<{ code: string }>(
      `SELECT a.code FROM ledger_transfers t JOIN ledger_accounts a ON a.id = t.debit_account_id WHERE t.id = $1`, [feeTransferId(s.b1.storeUuid, D)],
    );
    expect(debited.rows[0]!.code).toBe(`merchant_payable:${s.b.merchantUuid}:0`);
    expect(await ledgerSumsToZero(db.pool)).toBe(true);
  });

  it('gives the same transfer id for a store and day, and another for another day or store', () => {
    expect(feeTransferId(s.a1.storeUuid, D)).toBe(feeTransferId(s.a1.storeUuid, D));
    expect(feeTransferId(s.a1.storeUuid, D)).not.toBe(feeTransferId(s.a1.storeUuid, '2026-03-11'));
    expect(feeTransferId(s.a1.storeUuid, D)).not.toBe(feeTransferId(s.a2.storeUuid, D));
  });
});

describe('the payout file', () => {
  it('is refused while a payee has no bank account, naming the store', async () => {
    const r = await preparePayout(deps(), D, remitter, '2026-03-11');
    expect(r).toMatchObject({ kind: 'refused', code: 'settlement_no_bank_account' });
    expect(r.kind === 'refused' && r.detail).toContain(s.a1.storeId);
  });

  it('refuses bank details a Zengin file cannot carry, saying which and why', async () => {
    const r = await setBankAccount(deps(), { merchantId: s.a.merchantId }, { ...account('コンビニ', '12345678'), bankCode: '5', accountType: '3' });
    expect(r).toMatchObject({ kind: 'refused', code: 'settlement_invalid_bank_details' });
    const detail = r.kind === 'refused' ? r.detail : '';
    for (const what of ['bank code must be 4 digits', 'account type', 'account number must be 7 digits', 'holder name has characters']) expect(detail).toContain(what);
    expect(await setBankAccount(deps(), { storeId: `sto_${'0'.repeat(32)}` }, account('ｶ)ｺﾝﾋﾞﾆ', '1234567'))).toMatchObject({ code: 'settlement_not_found' });
  });

  it('pays each merchant the net of its stores; the trailer and the file total equal the report', async () => {
    expect(await setBankAccount(deps(), { merchantId: s.a.merchantId }, account('ｶ)ｺﾝﾋﾞﾆA', '1111111'))).toEqual({ kind: 'set' });
    expect(await setBankAccount(deps(), { merchantId: s.b.merchantId }, account('ｶ)ｺﾝﾋﾞﾆB', '2222222'))).toEqual({ kind: 'set' });
    const r = await preparePayout(deps(), D, remitter, '2026-03-11');
    if (r.kind !== 'ready') throw new Error(JSON.stringify(r));
    const file = parseZenginFile(r.file);
    expect(file.records.every((x) => x.length === 120)).toBe(true);
    expect(file.header).toMatchObject({ kind: '21', codeType: '0', code: '1234567890', name: 'ｺﾝﾍﾟｲ(ｶ', payOnMmdd: '0311', bankCode: '9999' });
    expect(file.transfers.map((t) => [t.holder, t.accountNumber, t.amount]).sort()).toEqual(
      [['ｶ)ｺﾝﾋﾞﾆA', '1111111', 2710 + 3880], ['ｶ)ｺﾝﾋﾞﾆB', '2222222', 9750]],
    );
    expect(file.transfers[0]).toMatchObject({ bankCode: '0005', bankName: 'ﾐﾂﾋﾞｼUFJ', branchCode: '123', branchName: 'ｼﾌﾞﾔ', clearingHouse: '0000', accountType: 1, newCode: '0', transferType: '7' });
    expect(file.trailer).toEqual({ count: 2, amount: file.transfers.reduce((t, x) => t + x.amount, 0) });
    expect(file.trailer.amount).toBe(r.report.total.net);
    expect(r.total).toBe(r.report.total.net);
    expect(r.carried).toEqual([]);
  });

  it('pays a store with its own account apart from its merchant', async () => {
    expect(await setBankAccount(deps(), { storeId: s.a2.storeId }, account('ﾌﾗﾝﾁﾔｲｽﾞ ｼﾌﾞﾔ', '3333333'))).toEqual({ kind: 'set' });
    const r = await preparePayout(deps(), D, remitter, '2026-03-11');
    if (r.kind !== 'ready') throw new Error(JSON.stringify(r));
    expect(new Map(r.paid.map((p) => [p.payee, p.net]))).toEqual(new Map([[s.a.merchantId, 2710], [s.a2.storeId, 3880], [s.b.merchantId, 9750]]));
    const file = parseZenginFile(r.file);
    expect(file.transfers.find((t) => t.accountNumber === '3333333')).toMatchObject({ holder: 'ﾌﾗﾝﾁﾔｲｽﾞ ｼﾌﾞﾔ', amount: 3880 });
    expect(file.trailer).toEqual({ count: 3, amount: r.report.total.net });
  });

  it('is refused for a day not closed, and carries payees whose net is not positive', async () => {
    await s.later();
    clock.set('2026-03-11T15:06:00Z');
    const next = '2026-03-11';
    expect(await preparePayout(deps(), next, remitter, '2026-03-12')).toMatchObject({ kind: 'refused', code: 'settlement_not_closed' });
    expect(await closeDay(deps(), next)).toMatchObject({ kind: 'closed', total: 90 });
    const r = await preparePayout(deps(), next, remitter, '2026-03-12');
    if (r.kind !== 'ready') throw new Error(JSON.stringify(r));
    // A1 sold ¥3,000 (fee ¥90); A2 refunded ¥1,000 on its own account; B1 refunded ¥2,000.
    expect(r.paid).toEqual([{ payee: s.a.merchantId, stores: [s.a1.storeId], net: 2910 }]);
    expect(new Map(r.carried.map((p) => [p.payee, p.net]))).toEqual(new Map([[s.a2.storeId, -1000], [s.b.merchantId, -2000]]));
    const file = parseZenginFile(r.file);
    expect(file.trailer).toEqual({ count: 1, amount: 2910 });
    expect(file.trailer.amount).toBe(r.report.total.net - r.carried.reduce((t, p) => t + p.net, 0));
  });

  it('is refused without remitter details, and for a day that is not over', async () => {
    expect(await preparePayout(deps(), D, undefined, '2026-03-11')).toMatchObject({ code: 'settlement_remitter_missing' });
    expect(await preparePayout(deps(), '2026-03-12', remitter, '2026-03-13')).toMatchObject({ code: 'settlement_day_not_over' });
  });

  it('leaves the day\'s report unchanged by closing and paying out', async () => {
    const r = await readDay(db.pool, (q) => settlementReport(q, D));
    expect(r.total.net).toBe(16_340);
    expect(await ledgerSumsToZero(db.pool)).toBe(true);
  });
});
