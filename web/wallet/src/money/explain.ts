/**
 * What the money screens say about a refusal or a failed card step. The shared
 * explanation (problems.ts) knows codes and counts; limits need their amounts in yen and
 * restricted mode its end, which only these screens format, so they are explained here.
 */
import { ApiError } from '../api.js';
import type { Locale, Translate } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/en.js';
import { en } from '../i18n/en.js';
import { formatYen } from '../money.js';
import { explain } from '../problems.js';

/** Japan's time, whatever the phone's zone: cooling-off and limits are counted in JST. */
export function formatWhen(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' }).format(new Date(iso));
}

const num = (v: unknown) => (typeof v === 'number' ? v : 0);

export function explainMoney(err: unknown, t: Translate, locale: Locale): string {
  if (!(err instanceof ApiError)) return explain(err, t);
  const p = err.problem as Record<string, unknown>;
  if (err.code === 'topup_limit_exceeded') {
    const key = `limit.${String(p.reason)}`;
    const params = { limit: formatYen(num(p.limit)), remaining: formatYen(num(p.remaining)) };
    return t(key in en ? (key as MessageKey) : 'limit.other', params);
  }
  if (err.code === 'topup_restricted_mode' && typeof p.restrictedUntil === 'string') {
    return t('topup.restricted', { until: formatWhen(p.restrictedUntil, locale) });
  }
  if (err.code === 'card_attempts_exceeded' && num(p.retryAfterSeconds) > 3600) {
    // A pause of up to a day: hours read better than 1,440 minutes.
    return t('cards.attempts.hours', { hours: Math.ceil(num(p.retryAfterSeconds) / 3600) });
  }
  return explain(err, t);
}

/** Why a card or a top-up failed, from the failure code the card network's answer left. */
export function explainFailure(code: string | null, t: Translate): string {
  const key = `decline.${code}`;
  // An unknown code is named, for support; it is the network's word, never card data.
  return code && key in en ? t(key as MessageKey) : t('decline.other', { code: code ?? 'declined' });
}
