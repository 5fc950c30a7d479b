/**
 * Top up (WAL-3, WAL-5): from a verified card, with the limits explained before asking
 * and the issuer's 3-D Secure challenge every time; or, for people without a card, cash
 * at the register (how to). Coming back from the challenge (the return page's link names
 * the top-up; this tab also remembers it) the screen follows the top-up to its end.
 * Cooling-off after a new device and a frozen wallet are explained instead of the form.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Card, Wallet } from '../../../shared/contract.js';
import { api } from '../api.js';
import { useLocale } from '../i18n/i18n.js';
import { sessionEnded } from '../session.js';
import { ErrorAlert } from '../ui/form.js';
import { Layout } from '../ui/layout.js';
import { BackHome, Link } from '../ui/nav.js';
import { useMoneyAction } from './action.js';
import { CashHowTo } from './cash-howto.js';
import { formatWhen } from './explain.js';
import { pendingTopup, takeParams, topupIdOr } from './pending.js';
import { TopupForm } from './topup-form.js';
import { TopupOutcome } from './topup-outcome.js';
import './money.css';

export function TopupScreen({ onSignedOut }: { onSignedOut(): void }) {
  const { t, locale } = useLocale();
  const load = useMoneyAction();
  const [wallet, setWallet] = useState<Wallet>();
  const [cards, setCards] = useState<Card[]>();
  const [following, setFollowing] = useState<string | undefined>(() => topupIdOr(takeParams('topup').topup) ?? pendingTopup.get());

  const guarded = (fn: () => Promise<void>) => async () => {
    try {
      await fn();
    } catch (err) {
      if (sessionEnded(err)) return onSignedOut();
      throw err;
    }
  };
  const refresh = () => load.run(guarded(async () => {
    const [w, list] = await Promise.all([api<Wallet>('GET', '/v1/wallet'), api<{ cards: Card[] }>('GET', '/v1/cards')]);
    setWallet(w);
    setCards(list.cards);
  }));
  useEffect(() => {
    void refresh();
  }, []);

  const again = () => {
    setFollowing(undefined);
    void refresh();
  };
  const usable = cards?.filter((c) => c.status === 'active') ?? [];
  const loaded = wallet && cards;
  return (
    <Layout title={t('topup.title')}>
      <ErrorAlert message={load.message} />
      {!loaded && !load.message && <p role="status">{t('topup.loading')}</p>}
      {loaded && following && <TopupOutcome id={following} cards={cards} onAgain={again} guarded={guarded} />}
      {loaded && !following && (
        wallet.frozen ? <p class="notice">{t('topup.frozen')}</p>
          : wallet.restrictedUntil ? <p class="notice" data-testid="restricted">{t('topup.restricted', { until: formatWhen(wallet.restrictedUntil, locale) })}</p>
            : usable.length ? <TopupForm wallet={wallet} cards={usable} onStarted={setFollowing} guarded={guarded} onSignedOut={onSignedOut} />
              : (<div class="no-card"><p>{t('topup.noCard')}</p><Link to="cards" class="primary button">{t('topup.card.add')}</Link></div>)
      )}
      {loaded && !following && !wallet.frozen && <CashHowTo wallet={wallet} />}
      <BackHome />
    </Layout>
  );
}
