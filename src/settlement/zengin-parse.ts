/**
 * Reads a Zengin 総合振込 file back (the layout in zengin.ts): how the tests prove the
 * field positions, and how an operator can check a file before sending it to the bank.
 */
import iconv from 'iconv-lite';
import { RECORD_BYTES, type Remitter, type ZenginTransfer } from './zengin.js';

export interface ParsedZenginFile {
  header: Remitter & { kind: string; codeType: string; payOnMmdd: string };
  transfers: (ZenginTransfer & { clearingHouse: string; newCode: string; transferType: string })[];
  trailer: { count: number; amount: number };
  /** The raw records, each exactly as many bytes as in the file. */
  records: Buffer[];
}

/** Splits at CRLF, checks every record is 120 bytes and the record types come in order. */
export function parseZenginFile(file: Buffer): ParsedZenginFile {
  const records: Buffer[] = [];
  for (let at = 0; at < file.length; at += RECORD_BYTES + 2) {
    const r = file.subarray(at, at + RECORD_BYTES);
    if (r.length !== RECORD_BYTES || file.subarray(at + RECORD_BYTES, at + RECORD_BYTES + 2).toString('latin1') !== '\r\n') {
      throw new Error(`zengin: record at byte ${at} is not 120 bytes followed by CRLF`);
    }
    records.push(r);
  }
  // Columns are 1-based and inclusive, as in the layout table.
  const col = (r: Buffer, from: number, to: number) => iconv.decode(r.subarray(from - 1, to), 'Shift_JIS');
  const text = (r: Buffer, from: number, to: number) => col(r, from, to).replace(/ +$/, '');
  const types = records.map((r) => col(r, 1, 1)).join('');
  if (!/^12*89$/.test(types)) throw new Error(`zengin: record types ${types} are not header, data…, trailer, end`);

  const h = records[0]!;
  const header = {
    kind: col(h, 2, 3), codeType: col(h, 4, 4), code: col(h, 5, 14), name: text(h, 15, 54), payOnMmdd: col(h, 55, 58),
    bankCode: col(h, 59, 62), bankName: text(h, 63, 77), branchCode: col(h, 78, 80), branchName: text(h, 81, 95),
    accountType: Number(col(h, 96, 96)) as 1 | 2, accountNumber: col(h, 97, 103),
  };
  const transfers = records.slice(1, -2).map((d) => ({
    bankCode: col(d, 2, 5), bankName: text(d, 6, 20), branchCode: col(d, 21, 23), branchName: text(d, 24, 38),
    clearingHouse: col(d, 39, 42), accountType: Number(col(d, 43, 43)) as 1 | 2, accountNumber: col(d, 44, 50),
    holder: text(d, 51, 80), amount: Number(col(d, 81, 90)), newCode: col(d, 91, 91), transferType: col(d, 112, 112),
  }));
  const t = records[records.length - 2]!;
  return { header, transfers, trailer: { count: Number(col(t, 2, 7)), amount: Number(col(t, 8, 19)) }, records };
}
