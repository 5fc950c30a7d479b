/** Messages of the money screens (cards, 3-D Secure, top-ups). */
export const moneyEn = {
  'cards.title': 'Cards',
  'topup.title': 'Top up',
};

export type MoneyKey = keyof typeof moneyEn;

export const moneyJa: Record<MoneyKey, string> = {
  'cards.title': 'カード',
  'topup.title': 'チャージ',
};
