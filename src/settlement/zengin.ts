/**
 * The payout file for the bank: Zengin (全銀協) 総合振込 (general transfer) format.
 * Fixed-length records of 120 bytes in Shift_JIS, separated by CRLF: one header, one
 * data record per payee, a trailer with the totals, an end record. N fields are digits,
 * right-aligned and zero-filled; C fields are half-width text (src/settlement/kana.ts),
 * left-aligned and space-filled.
 *
 * Field positions (1-based byte columns), as published in banks' layouts of the
 * Zengin-standard file: 全銀協制定ファイルフォーマット【総合振込】 (header and data fields
 * and lengths), a bank's 持込規格 (header columns 1, 2–3, 4, 5–14, 15–54, 55–58, 59–62,
 * 63–77, 78–80, 81–95, 96, 97–103, 104–120), a payroll package's FB data spec (data
 * columns 1, 2, 6, 21, 24, 39, 43, 44, 51, 81, 91, 92) and a Web21 layout (振込指定区分
 * 7 電信 / 8 文書, 識別表示):
 *
 * | record  | columns  | len | type | field                                        |
 * | header  | 1        | 1   | N    | データ区分 = 1                                |
 * |         | 2–3      | 2   | N    | 種別コード = 21 (総合振込)                    |
 * |         | 4        | 1   | N    | コード区分 = 0 (JIS / Shift_JIS)              |
 * |         | 5–14     | 10  | N    | 振込依頼人コード (the bank's remitter code)   |
 * |         | 15–54    | 40  | C    | 振込依頼人名                                  |
 * |         | 55–58    | 4   | N    | 振込指定日 MMDD                               |
 * |         | 59–62    | 4   | N    | 仕向銀行番号 (remitter's bank)                |
 * |         | 63–77    | 15  | C    | 仕向銀行名                                    |
 * |         | 78–80    | 3   | N    | 仕向支店番号                                  |
 * |         | 81–95    | 15  | C    | 仕向支店名                                    |
 * |         | 96       | 1   | N    | 預金種目 (依頼人) 1 普通, 2 当座              |
 * |         | 97–103   | 7   | N    | 口座番号 (依頼人)                             |
 * |         | 104–120  | 17  | C    | ダミー (spaces)                               |
 * | data    | 1        | 1   | N    | データ区分 = 2                                |
 * |         | 2–5      | 4   | N    | 被仕向銀行番号                                |
 * |         | 6–20     | 15  | C    | 被仕向銀行名                                  |
 * |         | 21–23    | 3   | N    | 被仕向支店番号                                |
 * |         | 24–38    | 15  | C    | 被仕向支店名                                  |
 * |         | 39–42    | 4   | N    | 手形交換所番号 (unused: 0000)                 |
 * |         | 43       | 1   | N    | 預金種目 1 普通, 2 当座                       |
 * |         | 44–50    | 7   | N    | 口座番号                                      |
 * |         | 51–80    | 30  | C    | 受取人名                                      |
 * |         | 81–90    | 10  | N    | 振込金額 (yen)                                |
 * |         | 91       | 1   | N    | 新規コード (0)                                |
 * |         | 92–101   | 10  | N    | 顧客コード1 (0)                               |
 * |         | 102–111  | 10  | N    | 顧客コード2 (0)                               |
 * |         | 112      | 1   | N    | 振込指定区分 7 (電信)                         |
 * |         | 113      | 1   | C    | 識別表示 (space: no EDI data)                 |
 * |         | 114–120  | 7   | C    | ダミー                                        |
 * | trailer | 1        | 1   | N    | データ区分 = 8                                |
 * |         | 2–7      | 6   | N    | 合計件数 (data records)                       |
 * |         | 8–19     | 12  | N    | 合計金額 (sum of 振込金額)                    |
 * |         | 20–120   | 101 | C    | ダミー                                        |
 * | end     | 1        | 1   | N    | データ区分 = 9                                |
 * |         | 2–120    | 119 | C    | ダミー                                        |
 */
import iconv from 'iconv-lite';
import { isZenginText } from './kana.js';

export const RECORD_BYTES = 120;
const ENCODING = 'Shift_JIS';

/** A bank account as the file names it. */
export interface ZenginAccount {
  bankCode: string;
  bankName: string;
  branchCode: string;
  branchName: string;
  /** 1 普通 (ordinary), 2 当座 (current). */
  accountType: 1 | 2;
  accountNumber: string;
}

/** Konpay, the remitter: its bank's remitter code, its name, and the account paid from. */
export interface Remitter extends ZenginAccount {
  code: string;
  name: string;
}

export interface ZenginTransfer extends ZenginAccount {
  holder: string;
  amount: number;
}

type Field = readonly [name: string, type: 'N' | 'C', length: number, value: string | number];

function cell([name, type, length, value]: Field): string {
  const s = String(value);
  if (type === 'N') {
    if (!/^\d*$/.test(s) || s.length > length) throw new RangeError(`zengin: ${name} must be at most ${length} digits, got "${s}"`);
    return s.padStart(length, '0');
  }
  if (!isZenginText(s) || s.length > length) throw new RangeError(`zengin: ${name} must be at most ${length} Zengin characters, got "${s}"`);
  return s.padEnd(length, ' ');
}

function record(fields: readonly Field[]): Buffer {
  const bytes = iconv.encode(fields.map(cell).join(''), ENCODING);
  // Every allowed character is one byte in Shift_JIS; anything else is a bug upstream.
  if (bytes.length !== RECORD_BYTES) throw new Error(`zengin: a record came to ${bytes.length} bytes, not ${RECORD_BYTES}`);
  return bytes;
}

const mmdd = (date: string) => date.slice(5, 7) + date.slice(8, 10);

/** The whole file: header, one data record per transfer, trailer, end; CRLF after each record. */
export function zenginTransferFile(remitter: Remitter, payOn: string, transfers: readonly ZenginTransfer[]): Buffer {
  const total = transfers.reduce((s, t) => s + t.amount, 0);
  const records = [
    record([
      ['データ区分', 'N', 1, 1], ['種別コード', 'N', 2, 21], ['コード区分', 'N', 1, 0], ['振込依頼人コード', 'N', 10, remitter.code],
      ['振込依頼人名', 'C', 40, remitter.name], ['振込指定日', 'N', 4, mmdd(payOn)], ['仕向銀行番号', 'N', 4, remitter.bankCode],
      ['仕向銀行名', 'C', 15, remitter.bankName], ['仕向支店番号', 'N', 3, remitter.branchCode], ['仕向支店名', 'C', 15, remitter.branchName],
      ['預金種目', 'N', 1, remitter.accountType], ['口座番号', 'N', 7, remitter.accountNumber], ['ダミー', 'C', 17, ''],
    ]),
    ...transfers.map((t) => {
      if (!Number.isSafeInteger(t.amount) || t.amount <= 0) throw new RangeError(`zengin: a transfer amount must be a positive integer, got ${t.amount}`);
      return record([
        ['データ区分', 'N', 1, 2], ['被仕向銀行番号', 'N', 4, t.bankCode], ['被仕向銀行名', 'C', 15, t.bankName],
        ['被仕向支店番号', 'N', 3, t.branchCode], ['被仕向支店名', 'C', 15, t.branchName], ['手形交換所番号', 'N', 4, 0],
        ['預金種目', 'N', 1, t.accountType], ['口座番号', 'N', 7, t.accountNumber], ['受取人名', 'C', 30, t.holder],
        ['振込金額', 'N', 10, t.amount], ['新規コード', 'N', 1, 0], ['顧客コード1', 'N', 10, 0], ['顧客コード2', 'N', 10, 0],
        ['振込指定区分', 'N', 1, 7], ['識別表示', 'C', 1, ''], ['ダミー', 'C', 7, ''],
      ]);
    }),
    record([['データ区分', 'N', 1, 8], ['合計件数', 'N', 6, transfers.length], ['合計金額', 'N', 12, total], ['ダミー', 'C', 101, '']]),
    record([['データ区分', 'N', 1, 9], ['ダミー', 'C', 119, '']]),
  ];
  const crlf = Buffer.from('\r\n');
  return Buffer.concat(records.flatMap((r) => [r, crlf]));
}
