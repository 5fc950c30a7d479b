/** A card as people recognise it: the brand's own name and the last four digits. */
import type { Card } from '../../../shared/contract.js';
import type { Translate } from '../i18n/i18n.js';

const BRANDS: Record<string, string> = { visa: 'Visa', mastercard: 'Mastercard', jcb: 'JCB', amex: 'American Express' };

export function cardName(c: Pick<Card, 'brand' | 'last4'>, t: Translate): string {
  return `${BRANDS[c.brand] ?? t('topup.card')} •••• ${c.last4}`;
}

/** MM/YYYY, as printed on the card. */
export const expiryOf = (c: Pick<Card, 'expMonth' | 'expYear'>) => ({ month: String(c.expMonth).padStart(2, '0'), year: String(c.expYear) });
