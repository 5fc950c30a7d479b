/**
 * `npm run ops -- settlement …` and `bank set` against a database seeded with payments
 * booked as the payments module books them: in-process (`main`), and the first payout
 * file written by the real entry point in a child process.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../test/harness/db.js';
import { D, PaymentsFixture, seedDay, type Scenario } from '../../test/harness/settlement.js';
import { withTransaction } from '../db/tx.js';
import { newUuid } from '../shared/ids.js';
import { readDay } from '../settlement/close.js';
import { reportCsv, reportJson } from '../settlement/render.js';
import { settlementReport } from '../settlement/report.js';
import { parseZenginFile } from '../settlement/zengin-parse.js';
import { ensureAccount } from '../wallet/ledger/accounts.js';
import { createTransfer } from '../wallet/ledger/ledger.js';
import { runOpsInProcess, runOps, type CliRun } from '../../test/harness/cli.js';

let db: TestDb;
let dataDir: string;
let s: Scenario;

beforeAll(async () => {
  db = await createTestDb();
  dataDir = await mkdtemp(join(tmpdir(), 'konpay-settlement-cli-'));
  s = await seedDay(new PaymentsFixture(db.pool));
});
afterAll(async () => {
  await db.drop();
  await rm(dataDir, { recursive: true, force: true });
});

function ops(...args: string[]): Promise<CliRun> {
  return runOpsInProcess({ databaseUrl: db.url, dataDir }, args);
}

function spawned(...args: string[]): Promise<CliRun> {
  return runOps({ databaseUrl: db.url, dataDir }, args);
}

const bank = (holder: string, number: string) => [
  '--bank-code', '0005', '--bank-name', 'ﾐﾂﾋﾞｼUFJ', '--branch-code', '123', '--branch-name', 'ｼﾌﾞﾔ',
  '--account-type', '1', '--account-number', number, '--holder', holder,
];

describe('npm run ops -- settlement', () => {
  it('sets bank accounts, refusing names a transfer file cannot carry', async () => {
    const bad = await ops('bank', 'set', '--merchant', s.a.merchantId, ...bank('コンビニ株式会社', '1111111'));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/settlement_invalid_bank_details: .*holder name has characters a Zengin file cannot carry/);
    expect((await ops('bank', 'set', ...bank('ｶ)ｺﾝﾋﾞﾆA', '1111111'))).status).toBe(2);
    const a = await ops('bank', 'set', '--merchant', s.a.merchantId, ...bank('ｶ)ｺﾝﾋﾞﾆA', '1111111'));
    expect(a.status, a.stderr).toBe(0);
    expect((await ops('bank', 'set', '--merchant', s.b.merchantId, ...bank('ｶ)ｺﾝﾋﾞﾆB', '2222222'))).status).toBe(0);
  });

  it('prints the report as JSON or CSV, byte for byte what the service renders, for every store or one', async () => {
    const report = await readDay(db.pool, (q) => settlementReport(q, D));
    const csv = await ops('settlement', 'report', '--date', D, '--format', 'csv');
    expect(csv.status, csv.stderr).toBe(0);
    expect(csv.stdout).toBe(reportCsv(report));
    const json = await ops('settlement', 'report', '--date', D);
    expect(json.stdout).toBe(reportJson(report));
    const one = await ops('settlement', 'report', '--date', D, '--store', s.b1.storeId, '--format', 'csv');
    expect(one.stdout.split('\r\n').filter(Boolean)).toHaveLength(3);
    expect((await ops('settlement', 'report', '--date', '2026-02-30')).status).toBe(2);
  });

  it('closes the day once, then writes a payout file whose totals equal the report', async () => {
    const closed = await ops('settlement', 'close', '--date', D);
    expect(closed.status, closed.stderr).toBe(0);
    expect(closed.stdout).toMatch(/closed: fees ¥460 for 3 stores/);
    expect((await ops('settlement', 'close', '--date', D)).stdout).toMatch(/already booked/);

    const out = join(dataDir, 'payout-0310.txt');
    const paid = await spawned('settlement', 'payout', '--date', D, '--out', out);
    expect(paid.status, paid.stderr).toBe(0);
    expect(paid.stdout).toMatch(/2 transfers, ¥16,340, to be paid on 2026-03-11/);
    const file = parseZenginFile(await readFile(out));
    expect(file.records.map((r) => r.length)).toEqual([120, 120, 120, 120, 120]);
    expect(file.header).toMatchObject({ code: '1234567890', payOnMmdd: '0311' });
    expect(file.trailer).toEqual({ count: 2, amount: 16_340 });
    // An existing file is never overwritten.
    const again = await ops('settlement', 'payout', '--date', D, '--out', out);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/cannot write/);
  });

  it('refuses to close or pay out a day whose settlement disagrees with the ledger, writing nothing', async () => {
    const date = '2026-04-01';
    await withTransaction(db.pool, async (q) => {
      const at = new Date('2026-04-01T03:00:00Z');
      const clearing = await ensureAccount(q, 'card_clearing', 'card_clearing', null, at);
      const payable = await ensureAccount(q, `merchant_payable:${s.a.merchantUuid}:3`, 'merchant_payable', null, at);
      // Money moved to a store's payable with no payment row behind it.
      const r = await createTransfer(q, { phase: 'single', id: newUuid(), debitAccountId: clearing.id, creditAccountId: payable.id, amount: 5000, kind: 'payment', metadata: { store: s.a1.storeId } }, at);
      expect(r.kind).toBe('created');
    });
    const close = await ops('settlement', 'close', '--date', date);
    expect(close.status).toBe(1);
    expect(close.stderr).toMatch(new RegExp(`settlement_ledger_mismatch: .*${s.a1.storeId} payments: report 0 / ¥0, ledger 1 / ¥5000`));
    const out = join(dataDir, 'payout-0401.txt');
    const payout = await ops('settlement', 'payout', '--date', date, '--out', out);
    expect(payout.status).toBe(1);
    expect(payout.stderr).toMatch(/settlement_ledger_mismatch/);
    await expect(stat(out)).rejects.toThrow(/ENOENT/);
  });
});
