/**
 * The "this wasn't me" pages: a confirmation with one button, the result, or an invalid
 * link. Everything inserted is escaped; the page loads nothing and runs no script.
 */
import { escapeHtml } from '../../shared/html.js';
import { FREEZE_PAGE, securityNotice, type Locale, type SecurityEventKind } from '../messages.js';

export type FreezePageState =
  | { kind: 'confirm'; locale: Locale; token: string; event: SecurityEventKind; account: string; issuedAt: Date }
  | { kind: 'done'; locale: Locale }
  | { kind: 'invalid' };

const STYLE = 'body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;line-height:1.6}'
  + 'button{font-size:1.1rem;min-height:48px;padding:.7rem 1.2rem;background:#b00020;color:#fff;border:0;border-radius:.4rem}'
  + '.what{background:#f4f4f4;padding:.6rem .8rem;border-radius:.4rem}';

function page(lang: string, title: string, body: string): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">`
    + '<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">'
    + `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

export function renderFreezePage(s: FreezePageState): string {
  if (s.kind === 'invalid') {
    // The account is unknown here, so both languages.
    const parts = (['ja', 'en'] as const).map((l) => `<p>${escapeHtml(FREEZE_PAGE[l].invalid)}</p><p>${escapeHtml(FREEZE_PAGE[l].help)}</p>`);
    return page('ja', 'Konpay', `<h1>Konpay</h1>${parts.join('<hr>')}`);
  }
  const t = FREEZE_PAGE[s.locale];
  if (s.kind === 'done') return page(s.locale, t.done, `<h1>${escapeHtml(t.done)}</h1><p>${escapeHtml(t.help)}</p>`);
  // The time as the customer reads it: in their language, in Japan's time (as every notice is).
  const when = new Intl.DateTimeFormat(s.locale === 'ja' ? 'ja-JP' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' }).format(s.issuedAt);
  const what = `${securityNotice(s.locale, s.event, '', '').title} (${s.account}, ${when} JST)`;
  return page(s.locale, t.title, `<h1>${escapeHtml(t.title)}</h1><p>${escapeHtml(t.lead)}</p>`
    + `<p class="what">${escapeHtml(what)}</p><p>${escapeHtml(t.effects)}</p>`
    + `<form method="post" action="/v1/freeze"><input type="hidden" name="token" value="${escapeHtml(s.token)}">`
    + `<button type="submit">${escapeHtml(t.button)}</button></form><p>${escapeHtml(t.help)}</p>`);
}
