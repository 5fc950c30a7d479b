/** Dates on the security screens, in Japan's time whatever the phone's zone (as the notices are). */
import type { Locale } from '../i18n/i18n.js';

export function formatWhen(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' }).format(new Date(iso));
}
