/**
 * The characters a Zengin transfer file may carry in its name fields (the "C" fields):
 * half-width katakana without the small kana (banks register names in large kana),
 * digits, upper-case ASCII letters, the space and the symbols ( ) - . / , ｢ ｣.
 * Each is one byte in Shift_JIS, so a field's length in characters is its length in
 * the file. The yen sign / backslash (0x5C) is left out: the two decode differently.
 */
const ALLOWED = /^[0-9A-Z ().\-/,\uFF62\uFF63\uFF66\uFF71-\uFF9F]*$/;

export type KanaCheck = { ok: true } | { ok: false; reason: string };

/** Checks a name field for the transfer file: allowed characters, 1 to `max` long. */
export function checkKana(value: string, max: number): KanaCheck {
  if (value.length === 0) return { ok: false, reason: 'is empty' };
  if (value.length > max) return { ok: false, reason: `is ${value.length} characters long; at most ${max}` };
  if (!ALLOWED.test(value)) {
    const bad = [...new Set([...value].filter((c) => !ALLOWED.test(c)))].join('');
    return { ok: false, reason: `has characters a Zengin file cannot carry: "${bad}" (use half-width katakana such as ｺﾝﾋﾞﾆ, digits, A-Z, space and ( ) - . / , ｢ ｣)` };
  }
  return { ok: true };
}

/** True when every character of `value` may appear in a Zengin name field. */
export const isZenginText = (value: string): boolean => ALLOWED.test(value);
