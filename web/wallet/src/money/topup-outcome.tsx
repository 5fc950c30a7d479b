/**
 * A top-up after the challenge, followed to its end: Konpay is asked to carry on
 * (`confirm`, safe to repeat), then the top-up is polled while the card network answers
 * (`processing`), and ends as a receipt with the new balance or the reason it failed.
 * One still waiting for its challenge can be continued or canceled.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Card, Topup, Wallet } from '../../../shared/contract.js';
import { api } from '../api.js';
import { useLocale } from '../i18n/i18n.js';
import { formatYen } from '../money.js';
import { ErrorAlert } from '../ui/form.js';
import { useMoneyAction } from './action.js';
import { cardName } from './card-name.js';
import { explainFailure, formatWhen } from './explain.js';
import { pendingTopup } from './pending.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ENDED: readonly Topup['status'][] = ['succeeded', 'failed', 'canceled'];

interface Props {
  id: string;
  cards: Card[];
  onAgain(): void;
  guarded(fn: () => Promise<void>): () => Promise<void>;
}

export function TopupOutcome({ id, cards, onAgain, guarded }: Props) {
  const { t, locale } = useLocale();
  const follow = useMoneyAction();
  const cancel = useMoneyAction();
  const [topup, setTopup] = useState<Topup>();
  const [balance, setBalance] = useState<number>();

  useEffect(() => {
    let gone = false;
    void follow.run(guarded(async () => {
      let now = await api<Topup>('POST', `/v1/topups/${id}/confirm`);
      // Soon at first, then every few seconds: the network usually answers within one.
      // Every fourth look asks Konpay to carry on itself rather than wait for its
      // reconciliation job (a lost answer from the network is asked again).
      for (let n = 1; !gone && now.status === 'processing'; n++) {
        setTopup(now);
        await sleep(Math.min(5000, 700 * n));
        now = await api<Topup>(n % 4 === 0 ? 'POST' : 'GET', `/v1/topups/${id}${n % 4 === 0 ? '/confirm' : ''}`);
      }
      if (gone) return;
      if (ENDED.includes(now.status)) pendingTopup.set(undefined);
      if (now.status === 'succeeded') setBalance((await api<Wallet>('GET', '/v1/wallet')).balance);
      setTopup(now);
    }));
    return () => {
      gone = true;
    };
  }, [id]);

  const card = topup && cards.find((c) => c.id === topup.cardId);
  const doCancel = () => cancel.run(guarded(async () => {
    const after = await api<Topup>('POST', `/v1/topups/${id}/cancel`);
    pendingTopup.set(undefined);
    setTopup(after);
  }));

  if (!topup) return (<><ErrorAlert message={follow.message} />{!follow.message && <p role="status" class="progress">{t('topup.loading')}</p>}</>);
  switch (topup.status) {
    case 'processing':
      return <p role="status" class="progress" data-testid="topup-outcome">{t('topup.processing', { amount: formatYen(topup.amount) })}</p>;
    case 'requires_action':
      return (
        <div class="outcome" data-testid="topup-outcome">
          <p role="status"><strong>{t('topup.waiting')}</strong></p>
          <ErrorAlert message={cancel.message} />
          {topup.nextAction && <a class="primary button" href={topup.nextAction.url}>{t('topup.continue')}</a>}
          <button type="button" class="secondary" disabled={cancel.busy} onClick={() => void doCancel()}>{t('topup.cancel')}</button>
        </div>
      );
    case 'succeeded':
      return (
        <section class="receipt" aria-labelledby="receipt-title" data-testid="topup-outcome">
          <div role="status"><h2 id="receipt-title">{t('topup.done.title')}</h2></div>
          <dl>
            <dt>{t('topup.done.amount')}</dt><dd class="big">{formatYen(topup.amount)}</dd>
            {card && (<><dt>{t('topup.done.card')}</dt><dd>{cardName(card, t)}</dd></>)}
            <dt>{t('topup.done.when')}</dt><dd>{formatWhen(topup.updatedAt, locale)}</dd>
            <dt>{t('topup.done.ref')}</dt><dd class="ref">{topup.id}</dd>
            {balance !== undefined && (<><dt>{t('topup.done.balance')}</dt><dd data-testid="new-balance">{formatYen(balance)}</dd></>)}
          </dl>
          <button type="button" class="secondary" onClick={onAgain}>{t('topup.again')}</button>
        </section>
      );
    default:
      return (
        <div class="outcome bad" data-testid="topup-outcome">
          <div role="status"><h2>{t('topup.failed.title')}</h2></div>
          <p>{explainFailure(topup.failureCode, t)}</p>
          <p>{t('topup.failed.nothing')}</p>
          <button type="button" class="primary" onClick={onAgain}>{t('topup.again')}</button>
        </div>
      );
  }
}
