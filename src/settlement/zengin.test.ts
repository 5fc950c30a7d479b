/** The Zengin 総合振込 file: 120-byte Shift_JIS records at the published columns, totals that add up. */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { checkKana } from './kana.js';
import { parseZenginFile } from './zengin-parse.js';
import { zenginTransferFile, type Remitter, type ZenginTransfer } from './zengin.js';

const remitter: Remitter = {
  code: '12345', name: 'ｺﾝﾍﾟｲ(ｶ', bankCode: '9999', bankName: 'ﾃｽﾄｷﾞﾝｺｳ', branchCode: '1', branchName: 'ﾎﾝﾃﾝ', accountType: 1, accountNumber: '42',
};
const transfers: ZenginTransfer[] = [
  { bankCode: '0005', bankName: 'ﾐﾂﾋﾞｼUFJ', branchCode: '123', branchName: 'ｼﾌﾞﾔ', accountType: 1, accountNumber: '1111111', holder: 'ｶ)ｺﾝﾋﾞﾆ ﾏ-ﾄ', amount: 6590 },
  { bankCode: '0009', bankName: 'ﾐﾂｲｽﾐﾄﾓ', branchCode: '456', branchName: 'ｲｹﾌﾞｸﾛ', accountType: 2, accountNumber: '2222222', holder: 'ﾔﾏﾀﾞ ﾀﾛｳ', amount: 9_999_999_999 },
];

describe('the Zengin transfer file', () => {
  const file = zenginTransferFile(remitter, '2026-03-11', transfers);
  const records = file.toString('latin1').split('\r\n');

  it('is header, data records, trailer and end, each exactly 120 bytes in Shift_JIS, each followed by CRLF', () => {
    expect(records.pop()).toBe('');
    expect(records.map((r) => Buffer.from(r, 'latin1').length)).toEqual([120, 120, 120, 120, 120]);
    expect(records.map((r) => r[0]).join('')).toBe('12289');
    expect(file.length).toBe(5 * 122);
    // Half-width katakana are single bytes 0xA1–0xDF; a voiced mark is a byte of its own.
    expect(iconv.encode('ﾃﾞ', 'Shift_JIS')).toEqual(Buffer.from([0xc3, 0xde]));
  });

  it('puts each field at its column (read back byte by byte)', () => {
    const h = Buffer.from(records[0]!, 'latin1');
    const at = (r: Buffer, from: number, to: number) => iconv.decode(r.subarray(from - 1, to), 'Shift_JIS');
    expect(at(h, 1, 4)).toBe('1210');
    expect(at(h, 5, 14)).toBe('0000012345'); // numbers right-aligned, zero-filled
    expect(at(h, 15, 54)).toBe('ｺﾝﾍﾟｲ(ｶ'.padEnd(40)); // text left-aligned, space-filled
    expect(at(h, 55, 58)).toBe('0311');
    expect([at(h, 59, 62), at(h, 78, 80), at(h, 96, 96), at(h, 97, 103), at(h, 104, 120)]).toEqual(['9999', '001', '1', '0000042', ' '.repeat(17)]);
    const d = Buffer.from(records[2]!, 'latin1');
    expect([at(d, 1, 1), at(d, 2, 5), at(d, 6, 20).trim(), at(d, 21, 23), at(d, 24, 38).trim(), at(d, 39, 42), at(d, 43, 43), at(d, 44, 50)])
      .toEqual(['2', '0009', 'ﾐﾂｲｽﾐﾄﾓ', '456', 'ｲｹﾌﾞｸﾛ', '0000', '2', '2222222']);
    expect([at(d, 51, 80), at(d, 81, 90), at(d, 91, 91), at(d, 92, 111), at(d, 112, 112), at(d, 113, 120)])
      .toEqual(['ﾔﾏﾀﾞ ﾀﾛｳ'.padEnd(30), '9999999999', '0', '0'.repeat(20), '7', ' '.repeat(8)]);
    const t = Buffer.from(records[3]!, 'latin1');
    expect([at(t, 1, 1), at(t, 2, 7), at(t, 8, 19), at(t, 20, 120)]).toEqual(['8', '000002', '010000006589', ' '.repeat(101)]);
    expect(at(Buffer.from(records[4]!, 'latin1'), 1, 120)).toBe(`9${' '.repeat(119)}`);
  });

  it('parses back to what was written; the trailer holds the count and the sum of the data records', () => {
    const parsed = parseZenginFile(file);
    expect(parsed.header).toMatchObject({ kind: '21', codeType: '0', code: '0000012345', name: 'ｺﾝﾍﾟｲ(ｶ', payOnMmdd: '0311', bankName: 'ﾃｽﾄｷﾞﾝｺｳ', branchCode: '001', branchName: 'ﾎﾝﾃﾝ' });
    expect(parsed.transfers.map(({ clearingHouse: _c, newCode: _n, transferType: _t, ...x }) => x)).toEqual(transfers);
    expect(parsed.trailer).toEqual({ count: 2, amount: transfers[0]!.amount + transfers[1]!.amount });
  });

  it('is a valid file with no data records (nothing to pay that day)', () => {
    expect(parseZenginFile(zenginTransferFile(remitter, '2026-03-11', [])).trailer).toEqual({ count: 0, amount: 0 });
  });

  it('refuses what does not fit: text the format cannot carry, an amount over 10 digits, a non-positive amount', () => {
    const one = transfers[0]!;
    expect(() => zenginTransferFile(remitter, '2026-03-11', [{ ...one, holder: 'コンビニ' }])).toThrow(/受取人名/);
    expect(() => zenginTransferFile(remitter, '2026-03-11', [{ ...one, amount: 10_000_000_000 }])).toThrow(/振込金額/);
    expect(() => zenginTransferFile(remitter, '2026-03-11', [{ ...one, amount: 0 }])).toThrow(/positive/);
    expect(() => parseZenginFile(file.subarray(0, 200))).toThrow(/120 bytes/);
  });
});

describe('kana fields', () => {
  it('accept half-width katakana, digits, upper-case letters, space and the allowed symbols', () => {
    for (const ok of ['ｶ)ｺﾝﾋﾞﾆ', 'ﾔﾏﾀﾞ ﾀﾛｳ', 'ABC-123.(ﾃｽﾄ)/,', '｢ｦ｣', 'ﾊﾟﾋﾟﾌﾟ']) expect(checkKana(ok, 30), ok).toEqual({ ok: true });
  });

  it('refuse full-width kana, kanji, lower case, small kana, the long-vowel mark, and names too long or empty', () => {
    for (const bad of ['コンビニ', '山田', 'konbini', 'ｷｬｯｼｭ', 'ﾏｰﾄ', 'ＡＢＣ', 'ｺﾝﾋﾞﾆ&', 'ｱ\\']) {
      const r = checkKana(bad, 30);
      expect(r.ok, bad).toBe(false);
      expect(!r.ok && r.reason).toMatch(/cannot carry/);
    }
    expect(checkKana('ｱ'.repeat(16), 15)).toEqual({ ok: false, reason: 'is 16 characters long; at most 15' });
    expect(checkKana('', 15)).toEqual({ ok: false, reason: 'is empty' });
  });
});
