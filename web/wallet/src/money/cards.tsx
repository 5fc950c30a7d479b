/**
 * Cards (WAL-3): the customer's cards, removing one (after asking), and adding one: the
 * details go on the card network's own page, then the issuer's 3-D Secure challenge, then
 * back here with the outcome explained. Frozen accounts and cooling-off are said up front.
 * When the risk engine asks to confirm it is you before a card is added (`step_up_required`),
 * the panel shows here and, once confirmed, the same card (its token, kept in memory only)
 * is sent again.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Card, CardForm, Wallet } from '../../../shared/contract.js';
import { api } from '../api.js';
import { useLocale } from '../i18n/i18n.js';
import { sessionEnded } from '../session.js';
import { useReauth } from '../security/reauth.js';
import { ErrorAlert } from '../ui/form.js';
import { Layout } from '../ui/layout.js';
import { BackHome, Link } from '../ui/nav.js';
import { useMoneyAction } from './action.js';
import { CardList } from './card-list.js';
import { cardName } from './card-name.js';
import { finishSetup, submitToken } from './card-setup.js';
import { explainFailure, formatWhen } from './explain.js';
import { cardIdOr, pendingCard, takeParams } from './pending.js';
import './money.css';

type Outcome = { kind: 'added' | 'failed' | 'pending' | 'removed'; card: Card };
type Phase = 'idle' | 'sending' | 'checking';
/** What the card form appends to its return address; all of it is taken off the address bar. */
const FORM_PARAMS = ['token', 'card', 'fingerprint', 'last4', 'brand', 'expMonth', 'expYear'];

export function CardsScreen({ onSignedOut }: { onSignedOut(): void }) {
  const { t, locale } = useLocale();
  const load = useMoneyAction();
  const act = useMoneyAction();
  const [cards, setCards] = useState<Card[]>();
  const [wallet, setWallet] = useState<Wallet>();
  const [form, setForm] = useState<CardForm>();
  const [phase, setPhase] = useState<Phase>('idle');
  const [outcome, setOutcome] = useState<Outcome>();
  const [confirming, setConfirming] = useState<string>();
  const reauth = useReauth(act, onSignedOut);

  /** A request whose refusal may mean the session ended: then back to signing in. */
  const guarded = (fn: () => Promise<void>) => async () => {
    try {
      await fn();
    } catch (err) {
      if (sessionEnded(err)) return onSignedOut();
      throw err;
    }
  };
  const refresh = guarded(async () => {
    const [list, w, f] = await Promise.all([
      api<{ cards: Card[] }>('GET', '/v1/cards'), api<Wallet>('GET', '/v1/wallet'), api<CardForm>('GET', '/v1/cards/card-form'),
    ]);
    setCards(list.cards);
    setWallet(w);
    setForm(f);
  });
  const settled = (card: Card) => setOutcome({ kind: card.status === 'active' ? 'added' : card.status === 'pending' ? 'pending' : 'failed', card });

  useEffect(() => {
    const p = takeParams(...FORM_PARAMS);
    void (async () => {
      let leaving = false;
      if (p.token) {
        setPhase('sending');
        await act.run(guarded(() => reauth.guard(async () => {
          const card = await submitToken(p.token!, (url) => {
            leaving = true;
            location.assign(url);
          });
          if (card) settled(card);
        })));
      } else {
        const id = cardIdOr(p.card) ?? pendingCard.get();
        if (id) {
          setPhase('checking');
          await act.run(guarded(async () => settled(await finishSetup(id))));
        }
      }
      if (leaving) return;
      setPhase('idle');
      await load.run(refresh);
    })();
  }, []);

  const remove = (card: Card) => act.run(guarded(async () => {
    await api('DELETE', `/v1/cards/${card.id}`);
    setConfirming(undefined);
    setOutcome({ kind: 'removed', card });
    await refresh();
  }));

  const active = cards?.filter((c) => c.status === 'active') ?? [];
  const full = !!form && active.length >= form.maxCards;
  return (
    <Layout title={t('cards.title')}>
      {phase !== 'idle' && <p role="status" class="progress">{t(phase === 'sending' ? 'cards.add.sending' : 'cards.add.checking')}</p>}
      <OutcomeBox outcome={outcome} />
      {reauth.panel}
      <ErrorAlert message={act.message ?? load.message} />
      {wallet?.frozen && <p class="notice">{t('cards.frozen')}</p>}
      {wallet && !wallet.frozen && wallet.restrictedUntil && <p class="notice">{t('cards.restricted', { until: formatWhen(wallet.restrictedUntil, locale) })}</p>}
      {phase === 'idle' && !cards && !load.message && <p role="status">{t('cards.loading')}</p>}
      {cards && (cards.length
        ? <CardList cards={cards} confirming={confirming} busy={act.busy} onAsk={setConfirming} onRemove={(c) => void remove(c)} />
        : <p>{t('cards.empty')}</p>)}
      {active.length > 0 && !wallet?.frozen && <p><Link to="topup" class="secondary button">{t('cards.topup')}</Link></p>}
      {form && wallet && !wallet.frozen && (
        <section class="add-card" aria-labelledby="add-card">
          <h2 id="add-card">{t('cards.add.title')}</h2>
          <p class="why">{t('cards.add.how')}</p>
          {full ? <p>{t('cards.add.max', { max: form.maxCards })}</p>
            : form.url ? <a class="primary button" href={form.url}>{t('cards.add.go')}</a>
              : <p>{t('cards.add.unavailable')}</p>}
        </section>
      )}
      <BackHome />
    </Layout>
  );
}

function OutcomeBox({ outcome }: { outcome: Outcome | undefined }) {
  const { t } = useLocale();
  // Present from the start, so screen readers announce the outcome when it appears.
  if (!outcome) return <div role="status" class="outcome empty" />;
  const name = cardName(outcome.card, t);
  const ok = outcome.kind === 'added' || outcome.kind === 'removed';
  return (
    <div role="status" class={`outcome ${ok ? 'ok' : 'bad'}`} data-testid="card-outcome">
      {outcome.kind === 'added' && <p><strong>{t('cards.add.done', { card: name })}</strong></p>}
      {outcome.kind === 'removed' && <p><strong>{t('cards.removed', { card: name })}</strong></p>}
      {outcome.kind === 'pending' && <p><strong>{t('cards.add.pending', { card: name })}</strong></p>}
      {outcome.kind === 'failed' && (<>
        <p><strong>{t('cards.add.failed', { card: name })}</strong></p>
        <p>{explainFailure(outcome.card.failureCode, t)}</p>
      </>)}
    </div>
  );
}
