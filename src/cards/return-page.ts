/**
 * The page the browser lands on when the card network sends it back after a 3-D Secure
 * challenge (adding a card, a top-up). It says how it went, in both languages, and leads
 * back into the wallet app, which shows the details and carries on from there.
 *
 * Nothing on it comes from the query string: the card network appends its own parameters
 * (`authentication`, `status`) and anyone can craft such a link, so the outcome is what
 * the server read from the network, and the link back is built from our own record.
 */
import { escapeHtml } from '../shared/html.js';

export interface ReturnPage {
  ok: boolean | 'pending';
  ja: string;
  en: string;
  /**
   * Where "back to the app" goes: a path of the wallet app (`/app/…`), built by the
   * caller from ids it read from the database, never from the request.
   */
  back: string;
}

/** Only the wallet's own paths: the page can never be turned into a redirector. */
const APP_PATH = /^\/app\/[a-z]+(\?[a-z]+=[A-Za-z0-9_]+)?$/;

export function renderReturnPage(p: ReturnPage): string {
  const mark = p.ok === true ? '✓' : p.ok === 'pending' ? '…' : '✕';
  const back = APP_PATH.test(p.back) ? p.back : '/app/';
  return `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Konpay</title>
<style>body{font:16px/1.6 system-ui,"Hiragino Sans","Noto Sans JP",sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;text-align:center;color:#1b1b1b}
.m{font-size:3rem}p{font-size:1.1rem}
a.b{display:block;margin:2rem 0 0;padding:.9rem 1.5rem;border-radius:12px;background:#0b5d3b;color:#fff;font-weight:700;text-decoration:none}
a.b:focus-visible{outline:3px solid #1a73e8;outline-offset:2px}</style></head>
<body><main><div class="m" aria-hidden="true">${mark}</div>
<h1>${escapeHtml(p.ja)}</h1><p lang="en">${escapeHtml(p.en)}</p>
<a class="b" href="${escapeHtml(back)}">アプリに戻る <span lang="en">· Back to the Konpay app</span></a></main></body></html>`;
}
