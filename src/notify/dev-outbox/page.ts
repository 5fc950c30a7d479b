/** The development outbox as a page. Every value is escaped: message bodies may quote user input. */

import { escapeHtml } from '../../shared/html.js';

interface Row {
  id: string;
  channel: string;
  to: string;
  subject: string | null;
  body: string;
  createdAt: string;
}

export function renderOutboxPage(messages: readonly Row[], filter: string | undefined): string {
  const rows = messages.map((m) => `
    <article>
      <header><span class="ch ${escapeHtml(m.channel)}">${escapeHtml(m.channel)}</span>
        <b>${escapeHtml(m.to)}</b> <time>${escapeHtml(m.createdAt)}</time></header>
      ${m.subject ? `<h2>${escapeHtml(m.subject)}</h2>` : ''}
      <pre>${escapeHtml(m.body)}</pre>
    </article>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Konpay dev outbox</title>
<style>
  body{font:15px/1.4 system-ui,sans-serif;margin:0 auto;max-width:50rem;padding:1rem;background:#f6f7f9}
  article{background:#fff;border-radius:8px;padding:.75rem 1rem;margin:.75rem 0;box-shadow:0 1px 2px #0002}
  h2{font-size:1rem;margin:.5rem 0} pre{white-space:pre-wrap;margin:0;font:inherit}
  time{color:#666;font-size:.85em} .ch{display:inline-block;border-radius:4px;padding:0 .4em;margin-right:.4em;color:#fff;background:#555}
  .email{background:#2a6df4}.sms{background:#1a9c5b}.push{background:#c2410c}
</style></head><body>
<h1>Dev outbox${filter ? ` for ${escapeHtml(filter)}` : ''}</h1>
<p>Messages Konpay sent, newest first. This page does not exist in production.</p>
${rows || '<p><i>No messages yet.</i></p>'}
</body></html>`;
}
