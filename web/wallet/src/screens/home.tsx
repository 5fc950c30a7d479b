/**
 * The first screen after signing in: the balance, what can be spent now, and why money
 * might not move (cooling-off after a new device, a frozen wallet), and the way to pay
 * and to top-ups, the history, cards and security settings.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Wallet } from '../../../shared/contract.js';
import { useAction } from '../action.js';
import { api } from '../api.js';
import { useLocale } from '../i18n/i18n.js';
import { formatYen } from '../money.js';
import { sessionEnded } from '../session.js';
import { ErrorAlert } from '../ui/form.js';
import { Layout } from '../ui/layout.js';
import { Link } from '../ui/nav.js';
import { WalletNotices } from '../ui/notices.js';

export function HomeScreen({ onSignedOut }: { onSignedOut(): void }) {
  const { t } = useLocale();
  const load = useAction();
  const signOut = useAction();
  const [wallet, setWallet] = useState<Wallet>();

  useEffect(() => {
    void load.run(async () => {
      try {
        setWallet(await api<Wallet>('GET', '/v1/wallet'));
      } catch (err) {
        // The session ended (idle timeout, signed out elsewhere): back to signing in.
        if (sessionEnded(err)) return onSignedOut();
        throw err;
      }
    });
  }, []);

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
      {wallet && <WalletNotices wallet={wallet} />}
      <nav class="actions" aria-label={t('home.title')}>
        <Link to="pay" class="primary button">{t('home.pay')}</Link>
        <Link to="topup" class="secondary button">{t('topup.title')}</Link>
        <Link to="history" class="secondary button">{t('home.history')}</Link>
        <Link to="cards" class="secondary button">{t('cards.title')}</Link>
        <Link to="security" class="secondary button">{t('security.title')}</Link>
      </nav>
      <button class="secondary" type="button" disabled={signOut.busy} onClick={() => signOut.run(async () => {
        await api('POST', '/v1/logout');
        onSignedOut();
      })}>{t('action.signOut')}</button>
    </Layout>
  );
}
