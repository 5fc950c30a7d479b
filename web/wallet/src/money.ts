/**
 * Yen as people in Japan read it, whatever the interface language: "￥1,234" (whole yen,
 * no decimals, grouped by thousands), the format of a receipt or a price tag.
 */
const yen = new Intl.NumberFormat('ja-JP', { style: 'currency', currency: 'JPY' });

export function formatYen(amount: number): string {
  return yen.format(amount);
}
