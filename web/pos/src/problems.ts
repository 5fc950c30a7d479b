/**
 * Turns a refusal into a sentence the cashier can act on: each problem `code` the POS
 * API documents (docs/pos-api.md) has its message, with the problem's own details
 * (`why`, `reason`, `remaining`, the clock's skew); any other code is named for support.
 * Nothing here repeats the customer's code: a refusal never echoes it.
 */
import { InputError as SharedInputError } from '../../shared/problems.js';
import { en, type MessageKey } from './i18n/en.js';
import type { Translate } from './i18n/i18n.js';
import { formatYen } from './money.js';
import { NoAnswer, Refusal } from './till.js';

/** A mistake caught before asking the API, with its message. */
export class InputError extends SharedInputError<MessageKey> {}

/** Whether a message exists for this key: the English table is the list of keys. */
const has = (key: string): key is MessageKey => Object.hasOwn(en, key);

export function explain(err: unknown, t: Translate): string {
  if (err instanceof InputError) return t(err.key);
  if (err instanceof NoAnswer) return t('error.network');
  if (!(err instanceof Refusal)) return t('error.unknown', { code: 'client' });
  const p = err.problem;
  if (p.code === 'payment_declined') return explainDecline(p.reason, t);
  // Codes whose meaning depends on a detail have one message per detail.
  const detail = typeof p.why === 'string' ? p.why : typeof p.reason === 'string' ? p.reason : typeof p.feature === 'string' ? p.feature : undefined;
  const key = detail !== undefined && has(`error.${p.code}.${detail}`) ? `error.${p.code}.${detail}` : `error.${p.code}`;
  if (!has(key)) return t('error.unknown', { code: p.code });
  return t(key, {
    remaining: typeof p.remaining === 'number' ? formatYen(p.remaining) : '',
    limit: typeof p.limit === 'number' ? formatYen(p.limit) : '',
    skew: skewText(err.clockSkewSeconds, t),
  });
}

export function explainDecline(reason: unknown, t: Translate): string {
  const key = `decline.${String(reason)}`;
  return has(key) ? t(key) : t('error.unknown', { code: `payment_declined/${String(reason)}` });
}

/** "(5 min fast)" style detail for a refused timestamp, when the server's Date told us. */
function skewText(seconds: number | undefined, t: Translate): string {
  if (seconds === undefined) return '';
  const minutes = Math.max(1, Math.round(Math.abs(seconds) / 60));
  return t(seconds > 0 ? 'error.skew.fast' : 'error.skew.slow', { minutes });
}
