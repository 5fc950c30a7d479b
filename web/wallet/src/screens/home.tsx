/**
 * The first screen after signing in: the balance, what can be spent now, and why money
 * might not move (cooling-off after a new device, a frozen wallet). Top-ups, the payment
 * code and the history come with issue 8's next screens.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Wallet } from '../../../shared/contract.js';
import { useAction } from '../action.js';
import { api, ApiError } from '../api.js';
import { useLocale } from '../i18n/i18n.js';
import { formatYen } from '../money.js';
import { ErrorAlert } from '../ui/form.js';
import { Layout } from '../ui/layout.js';

export function HomeScreen({ onSignedOut }: { onSignedOut(): void }) {
  const { t, locale } = useLocale();
  const load = useAction();
  const signOut = useAction();
  const [wallet, setWallet] = useState<Wallet>();

  useEffect(() => {
    void load.run(async () => {
      try {
        setWallet(await api<Wallet>('GET', '/v1/wallet'));
      } catch (err) {
        // The session ended (idle timeout, signed out elsewhere): back to signing in.
        if (err instanceof ApiError && (err.code === 'unauthenticated' || err.code === 'session_expired')) return onSignedOut();
        throw err;
      }
    });
  }, []);

  // Japan's time, whatever the phone's zone: limits and cooling-off are counted in JST.
  const when = (iso: string) => new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' }).format(new Date(iso));

  return (
    <Layout title={t('home.title')}>
      {!wallet && !load.message && <p role="status">{t('home.loading')}</p>}
      <ErrorAlert message={load.message ?? signOut.message} />
      {wallet && (
        <section class="balance" aria-labelledby="balance-label">
          <h2 id="balance-label">{t('home.balance')}</h2>
          <p class="amount" data-testid="balance">{formatYen(wallet.balance)}</p>
          <p>{t('home.available', { amount: formatYen(wallet.available) })}</p>
          {wallet.pendingIn > 0 && <p>{t('home.pendingIn', { amount: formatYen(wallet.pendingIn) })}</p>}
        </section>
      )}
      {wallet?.frozen && <p class="notice">{t('home.frozen')}</p>}
      {wallet?.restrictedUntil && !wallet.frozen && (
        <p class="notice">{t('home.restricted', { until: when(wallet.restrictedUntil), cap: formatYen(wallet.limits.restrictedPaymentsPer24h) })}</p>
      )}
      <button class="secondary" type="button" disabled={signOut.busy} onClick={() => signOut.run(async () => {
        await api('POST', '/v1/logout');
        onSignedOut();
      })}>{t('action.signOut')}</button>
    </Layout>
  );
}
