/**
 * Yen as a Japanese receipt shows it, whatever the interface language: "￥1,234". And the
 * cashier's typing read back as whole yen: digits only (a keypad, a tablet's number pad,
 * or full-width digits from a Japanese IME), else nothing.
 */
const yen = new Intl.NumberFormat('ja-JP', { style: 'currency', currency: 'JPY' });

export function formatYen(amount: number): string {
  return yen.format(amount);
}

/** Whole yen from what was typed ("1,280", "１２８０", "￥1280"), or undefined. */
export function parseYen(typed: string): number | undefined {
  const digits = toAsciiDigits(typed).replace(/[\s,￥¥]/g, '');
  if (!/^[0-9]{1,8}$/.test(digits)) return undefined;
  return Number(digits);
}

/** Full-width digits (０–９) as ASCII: what a Japanese keyboard in kana mode types. */
export function toAsciiDigits(s: string): string {
  return s.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
}

/** A date and time as the till's receipts print it, in Japan time. */
export function formatTime(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', {
    timeZone: 'Asia/Tokyo', dateStyle: 'medium', timeStyle: 'medium',
  }).format(new Date(iso));
}
