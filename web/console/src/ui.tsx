/**
 * The pieces every console screen is made of, with the accessibility wiring done once: a
 * visible label for every input with its hint announced, alert and status regions present
 * from the start, facts as description lists, and tables with captions and header cells.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';
import { Alert, Facts, Field, Form, Submit } from '../../shared/ui.js';
import { useLocale } from './i18n/i18n.js';

export { Facts, Field, Form, Submit };

export function ErrorAlert({ message }: { message: string | undefined }) {
  const { t } = useLocale();
  return <Alert title={t('error.title')} message={message} />;
}

/** A polite announcement of what was done; present from the start so screen readers catch it. */
export function Done({ message, testId }: { message: string | undefined; testId?: string }) {
  return <p role="status" class={message ? 'done' : 'done empty'} data-testid={testId}>{message}</p>;
}

/** A table with a caption and header cells; an empty one says so instead of showing bare headers. */
export function Table({ caption, head, rows, empty, testId, wide }: { caption: string; head: string[]; rows: ComponentChildren[][]; empty: string; testId?: string; wide?: boolean }) {
  return (
    // A table wider than the screen scrolls; `wide` makes its region reachable by keyboard.
    <div class="table-wrap" {...(wide ? { tabIndex: 0, role: 'region', 'aria-label': caption } : {})}>
      <table data-testid={testId}>
        <caption>{caption}</caption>
        <thead><tr>{head.map((h) => <th key={h} scope="col">{h}</th>)}</tr></thead>
        <tbody>
          {rows.length === 0
            ? <tr><td colSpan={head.length} class="empty-row">{empty}</td></tr>
            : rows.map((r, i) => <tr key={i}>{r.map((c, j) => <td key={j}>{c}</td>)}</tr>)}
        </tbody>
      </table>
    </div>
  );
}

/** A reason textarea: freeze, unfreeze and switch changes all need one. */
export function ReasonField({ label, hint, value, onValue }: { label: string; hint: string; value: string; onValue(v: string): void }) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <textarea id={id} name="reason" rows={2} maxLength={500} value={value} aria-describedby={`${id}-hint`} onInput={(e) => onValue(e.currentTarget.value)} />
      <p id={`${id}-hint`} class="hint">{hint}</p>
    </div>
  );
}

/**
 * The second step of a consequential action: the question, then yes or cancel. Focus moves
 * to it so a keyboard or screen-reader user meets the question before anything happens.
 */
export function Confirm({ question, yes, onYes, onCancel, busy, danger }: { question: string; yes: string; onYes(): void; onCancel(): void; busy: boolean; danger?: boolean }) {
  const { t } = useLocale();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div class="confirm" role="group" aria-label={question} tabIndex={-1} ref={ref}>
      <p>{question}</p>
      <div class="row">
        <button type="button" class={danger ? 'danger' : 'primary'} disabled={busy} onClick={onYes}>{yes}</button>
        <button type="button" class="secondary" disabled={busy} onClick={onCancel}>{t('confirm.cancel')}</button>
      </div>
    </div>
  );
}
