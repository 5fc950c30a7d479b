/**
 * The customer's cards, each with a remove button that asks first: removing is immediate
 * and cannot be undone (the card must be added again, with its 3-D Secure check).
 */
import { useEffect, useRef } from 'preact/hooks';
import type { Card } from '../../../shared/contract.js';
import { useLocale } from '../i18n/i18n.js';
import { cardName, expiryOf } from './card-name.js';

interface Props {
  cards: Card[];
  confirming: string | undefined;
  busy: boolean;
  onAsk(id: string | undefined): void;
  onRemove(card: Card): void;
}

export function CardList({ cards, confirming, busy, onAsk, onRemove }: Props) {
  const { t } = useLocale();
  return (
    <ul class="cards" data-testid="cards" aria-label={t('cards.list')}>
      {cards.map((c) => (
        <li key={c.id} class={`card ${c.status}`}>
          <div class="what">
            <strong>{cardName(c, t)}</strong>
            <span>{t('cards.expires', expiryOf(c))}</span>
            <span class="status">{t(c.status === 'active' ? 'cards.status.active' : 'cards.status.pending')}</span>
          </div>
          {confirming === c.id
            ? <Confirm card={c} busy={busy} onYes={() => onRemove(c)} onNo={() => onAsk(undefined)} />
            : <button type="button" class="small" aria-label={t('cards.remove.label', { card: cardName(c, t) })} onClick={() => onAsk(c.id)}>{t('cards.remove')}</button>}
        </li>
      ))}
    </ul>
  );
}

function Confirm({ card, busy, onYes, onNo }: { card: Card; busy: boolean; onYes(): void; onNo(): void }) {
  const { t } = useLocale();
  const ref = useRef<HTMLParagraphElement>(null);
  // The question takes the focus, so a screen reader reads it and the keyboard is at its buttons.
  useEffect(() => ref.current?.focus(), []);
  return (
    <div class="confirm" role="group" aria-labelledby={`confirm-${card.id}`}>
      <p id={`confirm-${card.id}`} tabIndex={-1} ref={ref}><strong>{t('cards.remove.confirm', { card: cardName(card, t) })}</strong></p>
      <p class="hint">{t('cards.remove.why')}</p>
      <div class="choices">
        <button type="button" class="danger" disabled={busy} onClick={onYes}>{t('cards.remove.yes')}</button>
        <button type="button" class="small" disabled={busy} onClick={onNo}>{t('cards.remove.no')}</button>
      </div>
    </div>
  );
}
