/**
 * The page the browser lands on when the card network sends it back after a 3-D Secure
 * challenge (adding a card, a top-up). The app takes over from here; the page just says
 * how it went, in both languages, and never echoes anything from the query string.
 */
import { escapeHtml } from '../shared/html.js';

export interface ReturnPage {
  ok: boolean | 'pending';
  ja: string;
  en: string;
}

export function renderReturnPage(p: ReturnPage): string {
  const mark = p.ok === true ? '✓' : p.ok === 'pending' ? '…' : '✕';
  return `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Konpay</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;text-align:center;color:#111}
.m{font-size:3rem}p{font-size:1.1rem}</style></head>
<body><main><div class="m" aria-hidden="true">${mark}</div>
<h1>${escapeHtml(p.ja)}</h1><p lang="en">${escapeHtml(p.en)}</p>
<p><small>アプリに戻ってください · You can return to the Konpay app.</small></p></main></body></html>`;
}
