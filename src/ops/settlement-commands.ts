/** Operator commands for daily settlement and payouts (src/settlement/, PAY-4). */
import { writeFile } from 'node:fs/promises';
import { fromPublicId } from '../shared/ids.js';
import { setBankAccount } from '../settlement/bank-accounts.js';
import { closeDay, readDay } from '../settlement/close.js';
import { isBusinessDate, nextWeekday } from '../settlement/dates.js';
import { settlementErrors, type Refusal } from '../settlement/errors.js';
import { preparePayout } from '../settlement/payout.js';
import { reportCsv, reportJson } from '../settlement/render.js';
import { settlementReport } from '../settlement/report.js';
import type { Command, OpsContext } from './command.js';

const yen = (n: number) => `¥${n.toLocaleString('en-US')}`;

function refused(ctx: OpsContext, r: Refusal): number {
  ctx.err(`${r.code}: ${settlementErrors.codes[r.code].title}: ${r.detail}`);
  return 1;
}

/** A bad date is a usage error (2), like a missing option. */
function badDate(ctx: OpsContext, option: string, value: string): number {
  ctx.err(`--${option} ${value}: ${settlementErrors.codes.settlement_invalid_date.title}`);
  return 2;
}

export const settlementCommands: readonly Command[] = [
  {
    name: 'settlement report', usage: '--date <YYYY-MM-DD> [--format json|csv] [--store <store-id>]', options: ['date'], optional: ['format', 'store'],
    summary: 'Print the JST day\'s settlement per store (payments, cancellations, refunds, fees, net)',
    async run(ctx, { options }) {
      const date = options.date!;
      if (!isBusinessDate(date)) return badDate(ctx, 'date', date);
      const format = options.format ?? 'json';
      if (format !== 'json' && format !== 'csv') {
        ctx.err(`--format must be json or csv, not ${format}`);
        return 2;
      }
      const storeUuid = options.store === undefined ? undefined : fromPublicId('sto', options.store);
      if (options.store !== undefined && !storeUuid) {
        ctx.err(`no store ${options.store}`);
        return 1;
      }
      const report = await readDay(ctx.pool, (q) => settlementReport(q, date, storeUuid ? { storeUuid } : {}));
      const text = format === 'csv' ? reportCsv(report) : reportJson(report);
      ctx.out(text.replace(/\n$/, '')); // `out` adds the final newline back: the bytes are the report's own
      return 0;
    },
  },
  {
    name: 'settlement close', usage: '--date <YYYY-MM-DD>', options: ['date'],
    summary: 'Book the JST day\'s fees of each store into the ledger (once, however often it runs)',
    async run(ctx, { options }) {
      const date = options.date!;
      if (!isBusinessDate(date)) return badDate(ctx, 'date', date);
      const r = await closeDay({ pool: ctx.pool, clock: ctx.clock }, date);
      if (r.kind === 'refused') return refused(ctx, r);
      for (const f of r.fees) ctx.out(`  ${f.storeId}  fee ${yen(f.amount).padStart(12)}  ${f.outcome.replace('_', ' ')}`);
      ctx.out(`${date} closed: fees ${yen(r.total)} for ${r.fees.length} stores`);
      return 0;
    },
  },
  {
    name: 'settlement payout', usage: '--date <YYYY-MM-DD> --out <file> [--pay-on <YYYY-MM-DD>]', options: ['date', 'out'], optional: ['pay-on'],
    summary: 'Write the Zengin transfer file paying each payee the closed day\'s positive net',
    async run(ctx, { options }) {
      const date = options.date!;
      if (!isBusinessDate(date)) return badDate(ctx, 'date', date);
      const payOn = options['pay-on'] ?? nextWeekday(date);
      if (!isBusinessDate(payOn)) return badDate(ctx, 'pay-on', payOn);
      const r = await preparePayout({ pool: ctx.pool, clock: ctx.clock }, date, ctx.config.payout.remitter, payOn);
      if (r.kind === 'refused') return refused(ctx, r);
      try {
        // Never overwrite: a file already handed to the bank must not change under its name.
        await writeFile(options.out!, r.file, { flag: 'wx' });
      } catch (err) {
        ctx.err(`cannot write ${options.out}: ${(err as Error).message}`);
        return 1;
      }
      for (const p of r.paid) ctx.out(`  pay    ${p.payee}  ${yen(p.net).padStart(14)}  (${p.stores.join(', ')})`);
      for (const p of r.carried) ctx.out(`  carry  ${p.payee}  ${yen(p.net).padStart(14)}  (${p.stores.join(', ')}): not paid, net not positive`);
      ctx.out(`${options.out}: ${r.paid.length} transfers, ${yen(r.total)}, to be paid on ${payOn}`);
      return 0;
    },
  },
  {
    name: 'bank set',
    usage: '--merchant <merchant-id> | --store <store-id>  --bank-code <4 digits> --bank-name <kana> --branch-code <3 digits> --branch-name <kana> --account-type 1|2 --account-number <7 digits> --holder <kana>',
    options: ['bank-code', 'bank-name', 'branch-code', 'branch-name', 'account-type', 'account-number', 'holder'], optional: ['merchant', 'store'],
    summary: 'Set the bank account a merchant (or a store paid on its own) is paid to; names in half-width katakana',
    async run(ctx, { options: o }) {
      if ((o.merchant === undefined) === (o.store === undefined)) {
        ctx.err('bank set: give exactly one of --merchant, --store');
        return 2;
      }
      const owner = o.merchant !== undefined ? { merchantId: o.merchant } : { storeId: o.store! };
      const r = await setBankAccount({ pool: ctx.pool, clock: ctx.clock }, owner, {
        bankCode: o['bank-code']!, bankName: o['bank-name']!, branchCode: o['branch-code']!, branchName: o['branch-name']!,
        accountType: o['account-type']!, accountNumber: o['account-number']!, holder: o.holder!,
      });
      if (r.kind === 'refused') return refused(ctx, r);
      ctx.out(`bank account of ${o.merchant ?? o.store} set`);
      return 0;
    },
  },
];
