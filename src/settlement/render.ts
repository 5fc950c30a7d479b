/** The settlement report as files: JSON, and CSV after RFC 4180 (CRLF, quoted when needed). */
import type { Figures, SettlementReport } from './report.js';

/** Pretty JSON ending in a newline; keys in the schema's order, so equal reports give equal bytes. */
export function reportJson(r: SettlementReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

export const CSV_COLUMNS = [
  'date', 'store_id', 'merchant_id', 'payments_count', 'payments_amount', 'cancellations_count', 'cancellations_amount',
  'refunds_count', 'refunds_amount', 'fees', 'net',
] as const;

/** A field as RFC 4180 wants it: quoted (with quotes doubled) when it holds a comma, quote or line break. */
function field(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const figureCells = (f: Figures) => [f.payments.count, f.payments.amount, f.cancellations.count, f.cancellations.amount, f.refunds.count, f.refunds.amount, f.fees, f.net];

/** A header line, one line per store, then a `TOTAL` line; amounts in integer yen; CRLF after every line. */
export function reportCsv(r: SettlementReport): string {
  const lines: (string | number)[][] = [
    [...CSV_COLUMNS],
    ...r.stores.map((s) => [r.date, s.storeId, s.merchantId, ...figureCells(s)]),
    [r.date, 'TOTAL', '', ...figureCells(r.total)],
  ];
  return lines.map((l) => `${l.map(field).join(',')}\r\n`).join('');
}
