/** Why money might not move right now: a frozen wallet, or cooling-off after a new device (ID-10). */
import type { Wallet } from '../../../shared/contract.js';
import { useLocale } from '../i18n/i18n.js';
import { formatYen } from '../money.js';

export function WalletNotices({ wallet }: { wallet: Wallet }) {
  const { t, locale } = useLocale();
  // Japan's time, whatever the phone's zone: limits and cooling-off are counted in JST.
  const when = (iso: string) => new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' }).format(new Date(iso));
  if (wallet.frozen) return <p class="notice">{t('home.frozen')}</p>;
  if (!wallet.restrictedUntil) return null;
  return <p class="notice">{t('home.restricted', { until: when(wallet.restrictedUntil), cap: formatYen(wallet.limits.restrictedPaymentsPer24h) })}</p>;
}
