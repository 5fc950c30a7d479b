/**
 * Choosing a card top-up: an amount (a preset or another) and a card, with the limits in
 * view before anything is asked. Sending it starts the top-up with an Idempotency-Key
 * (WAL-2) that is reused only to retry the same attempt after a lost answer, then goes
 * to the issuer's 3-D Secure challenge (every card top-up has one, WAL-3). When the risk
 * engine asks the customer to confirm it is you first (`step_up_required`), the panel
 * takes the form's place and, once confirmed, sends the same top-up with the same key.
 */
import { useState } from 'preact/hooks';
import type { Card, Topup, Wallet } from '../../../shared/contract.js';
import { api, ApiError, NetworkError } from '../api.js';
import { useLocale } from '../i18n/i18n.js';
import { formatYen } from '../money.js';
import { InputError } from '../problems.js';
import { useReauth } from '../security/reauth.js';
import { ErrorAlert, Form, Submit } from '../ui/form.js';
import { useMoneyAction } from './action.js';
import { cardName } from './card-name.js';
import { LimitsBox } from './limits-box.js';
import { attemptAnswered, attemptKey, pendingTopup } from './pending.js';

const PRESETS = [1000, 3000, 5000, 10_000];
/** Refusals after which the same top-up may be sent again with the same key. */
const RETRY_SAME = ['topup_network_unavailable', 'idempotency_request_in_progress'];
/**
 * Refusals that leave the attempt open: a step-up kept nothing on the server (the key is
 * free again), and the top-up sent after confirming is this same attempt, not a second.
 */
const KEEP_KEY = [...RETRY_SAME, 'step_up_required'];

interface Props {
  wallet: Wallet;
  cards: Card[];
  /** The top-up exists and needs no challenge (not expected: every one is challenged). */
  onStarted(id: string): void;
  guarded(fn: () => Promise<void>): () => Promise<void>;
  onSignedOut(): void;
}

export function TopupForm({ wallet, cards, onStarted, guarded, onSignedOut }: Props) {
  const { t } = useLocale();
  const send = useMoneyAction();
  const reauth = useReauth(send, onSignedOut);
  const [preset, setPreset] = useState<number | 'other'>(3000);
  const [other, setOther] = useState('');
  const [cardId, setCardId] = useState(cards[0]!.id);
  const [going, setGoing] = useState(false);
  const [retrying, setRetrying] = useState(false);

  const amountOf = (): number => {
    if (preset !== 'other') return preset;
    const digits = other.replace(/[,，\s円¥￥]/g, '');
    if (!/^[0-9]{1,9}$/.test(digits)) throw new InputError('topup.amount.invalid');
    return Number(digits);
  };

  const submit = () => send.run(guarded(() => reauth.guard(async () => {
    const amount = amountOf();
    const key = attemptKey(cardId, amount);
    let topup: Topup;
    try {
      topup = await api<Topup>('POST', '/v1/topups', { cardId, amount }, { 'idempotency-key': key });
    } catch (err) {
      const same = err instanceof NetworkError || (err instanceof ApiError && RETRY_SAME.includes(err.code));
      if (!same && !(err instanceof ApiError && KEEP_KEY.includes(err.code))) attemptAnswered();
      setRetrying(same);
      throw err;
    }
    attemptAnswered();
    pendingTopup.set(topup.id);
    if (topup.status === 'requires_action' && topup.nextAction) {
      setGoing(true);
      location.assign(topup.nextAction.url);
      return;
    }
    onStarted(topup.id);
  })));

  let shown: number | undefined;
  try {
    shown = amountOf();
  } catch {
    shown = undefined;
  }
  const label = retrying ? t('topup.retry') : shown === undefined ? t('topup.title') : t('topup.submit', { amount: formatYen(shown) });
  if (reauth.panel) {
    return (
      <>
        {shown !== undefined && <p class="why" data-testid="stepup-what">{t('topup.stepup.what', { amount: formatYen(shown), card: cardName(cards.find((c) => c.id === cardId) ?? cards[0]!, t) })}</p>}
        {reauth.panel}
      </>
    );
  }
  return (
    <>
      <LimitsBox wallet={wallet} />
      <Form onSubmit={submit} busy={send.busy || going}>
        <fieldset class="choice amounts">
          <legend>{t('topup.amount')}</legend>
          {PRESETS.map((a) => (
            <label key={a} class="option">
              <input type="radio" name="amount" value={String(a)} checked={preset === a} onChange={() => { setRetrying(false); setPreset(a); }} />
              <span>{formatYen(a)}</span>
            </label>
          ))}
          <label class="option">
            <input type="radio" name="amount" value="other" checked={preset === 'other'} onChange={() => { setRetrying(false); setPreset('other'); }} />
            <span>{t('topup.amount.other')}</span>
          </label>
        </fieldset>
        {preset === 'other' && (
          <div class="field">
            <label for="topup-other">{t('topup.amount.custom')}</label>
            <input id="topup-other" type="text" inputMode="numeric" autoComplete="off" value={other} aria-describedby="topup-other-hint"
              onInput={(e) => { setRetrying(false); setOther(e.currentTarget.value); }} />
            <p id="topup-other-hint" class="hint">{t('topup.amount.customHint', { min: formatYen(wallet.limits.cardTopup.min), max: formatYen(wallet.limits.cardTopup.max) })}</p>
          </div>
        )}
        <fieldset class="choice">
          <legend>{t('topup.card')}</legend>
          {cards.map((c) => (
            <label key={c.id} class="option wide">
              <input type="radio" name="card" value={c.id} checked={cardId === c.id} onChange={() => { setRetrying(false); setCardId(c.id); }} />
              <span>{cardName(c, t)}</span>
            </label>
          ))}
        </fieldset>
        <p class="why">{t('topup.3ds')}</p>
        <ErrorAlert message={send.message} />
        {going && <p role="status" class="progress">{t('topup.going')}</p>}
        <Submit label={label} busy={send.busy || going} />
      </Form>
    </>
  );
}
