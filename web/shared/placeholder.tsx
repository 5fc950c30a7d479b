/**
 * The POS page and the operations console until their screens are built (issue 8): the
 * right title at the right URL, in both languages, so the server's routing, headers and
 * build are exercised end to end already.
 */
import { render } from 'preact';
import './placeholder.css';

export function renderPlaceholder(app: { title: string; ja: string; en: string }): void {
  document.title = app.title;
  render(
    <main class="placeholder">
      <h1>{app.title}</h1>
      <p lang="ja">{app.ja}</p>
      <p lang="en">{app.en}</p>
    </main>,
    document.getElementById('root')!,
  );
}
