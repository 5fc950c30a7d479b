/** Cash top-up at the register (WAL-4), for people without a card: what to say and show. */
import type { Wallet } from '../../../shared/contract.js';
import { useLocale } from '../i18n/i18n.js';
import { formatYen } from '../money.js';
import { Link } from '../ui/nav.js';

export function CashHowTo({ wallet }: { wallet: Wallet | undefined }) {
  const { t } = useLocale();
  const cash = wallet?.limits.cashTopup;
  // The pay screen's name is a link in the middle of the sentence, wherever each language puts it.
  const [before, after] = t('cash.step2', { link: '\u0000' }).split('\u0000');
  return (
    <section class="cash" aria-labelledby="cash-title">
      <h2 id="cash-title">{t('cash.title')}</h2>
      <ol>
        <li>{t('cash.step1')}</li>
        <li>{before}<Link to="pay">{t('home.pay')}</Link>{after}</li>
        <li>{t('cash.step3', { step: formatYen(cash?.step ?? 1000), max: formatYen(cash?.max ?? 49_000) })}</li>
      </ol>
    </section>
  );
}
