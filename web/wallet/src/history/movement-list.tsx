/** The movements as a statement reads: what, where, when (Japan's time), and the signed amount. */
import type { Movement } from '../../../shared/contract.js';
import type { MessageKey } from '../i18n/en.js';
import { useLocale } from '../i18n/i18n.js';
import { formatYen } from '../money.js';

const KNOWN_KINDS = ['payment', 'topup_card', 'topup_cash', 'refund', 'payment_cancel', 'chargeback', 'compensation'] as const;
const kindKey = (kind: string): MessageKey =>
  (KNOWN_KINDS as readonly string[]).includes(kind) ? `movement.${kind as (typeof KNOWN_KINDS)[number]}` : 'movement.other';

export function MovementList({ movements }: { movements: Movement[] }) {
  const { t, locale } = useLocale();
  const when = new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' });
  return (
    <ul class="movements" data-testid="movements">
      {movements.map((m) => (
        <li key={m.id} class={m.status === 'canceled' ? 'canceled' : undefined}>
          <div class="what">
            <strong>{t(kindKey(m.kind))}</strong>
            {m.description && <span>{m.description}</span>}
            <time dateTime={m.createdAt}>{when.format(new Date(m.createdAt))}</time>
          </div>
          <div class="how-much">
            {/* The sign is written out: colour alone does not tell money in from money out. */}
            <span class={m.amount >= 0 ? 'in' : 'out'}>{m.amount > 0 ? `+${formatYen(m.amount)}` : formatYen(m.amount)}</span>
            {m.status !== 'posted' && <span class="status">{t(`movement.${m.status}`)}</span>}
          </div>
        </li>
      ))}
    </ul>
  );
}
