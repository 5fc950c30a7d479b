/** The card top-up limits (WAL-5) and what is left of them, shown before the customer chooses. */
import type { Wallet } from '../../../shared/contract.js';
import { useLocale } from '../i18n/i18n.js';
import { formatYen } from '../money.js';

export function LimitsBox({ wallet }: { wallet: Wallet }) {
  const { t } = useLocale();
  const { limits, remaining } = wallet;
  return (
    <section class="limits" aria-labelledby="limits-title" data-testid="limits">
      <h2 id="limits-title">{t('topup.limits.title')}</h2>
      <ul>
        <li>{t('topup.limits.each', { min: formatYen(limits.cardTopup.min), max: formatYen(limits.cardTopup.max) })}</li>
        <li>{t('topup.limits.day', { remaining: formatYen(remaining.cardTopup24h), limit: formatYen(limits.cardTopup.per24h), month: formatYen(limits.cardTopup.per30d) })}</li>
        <li>{t('topup.limits.balance', { max: formatYen(limits.balanceMax), room: formatYen(remaining.balanceRoom) })}</li>
      </ul>
    </section>
  );
}
