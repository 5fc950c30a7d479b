/**
 * Pieces every Konpay web app shows the same way: the language switch, forms whose
 * refusals the app explains itself, an alert region present from the start (screen
 * readers read it out as soon as it fills), fields with a visible label and their hint
 * announced with them, and facts as description lists. Words come from the app (its own
 * messages).
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';
import type { Locale } from './i18n.js';

const LANGUAGES: { locale: Locale; name: string }[] = [
  { locale: 'ja', name: '日本語' },
  { locale: 'en', name: 'English' },
];

export function LanguageSwitch({ locale, setLocale, label }: { locale: Locale; setLocale(l: Locale): void; label: string }) {
  return (
    <div class="lang" role="group" aria-label={label}>
      {LANGUAGES.map((l) => (
        <button key={l.locale} type="button" lang={l.locale} aria-pressed={locale === l.locale} onClick={() => setLocale(l.locale)}>
          {l.name}
        </button>
      ))}
    </div>
  );
}

export function Alert({ title, message }: { title: string; message: string | undefined }) {
  return (
    <div role="alert" class={message ? 'alert' : 'alert empty'}>
      {message && (<><strong>{title}</strong><p>{message}</p></>)}
    </div>
  );
}

export function Form({ onSubmit, busy, children }: { onSubmit(): void | Promise<void>; busy: boolean; children: ComponentChildren }) {
  return (
    // The app's explained refusals replace the browser's own validation bubbles, which
    // speak the browser's language rather than the one chosen in the app.
    <form
      noValidate
      aria-busy={busy}
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) void onSubmit();
      }}
    >
      {children}
    </form>
  );
}

export function Submit({ label, busy }: { label: string; busy: boolean }) {
  return <button class="primary" type="submit" disabled={busy}>{label}</button>;
}

interface FieldProps {
  label: string;
  hint?: string | undefined;
  value: string;
  onValue(v: string): void;
  name: string;
  type?: 'text' | 'password' | 'email';
  autoComplete?: string;
  /** `numeric`: a tablet shows its number pad; a keypad or scanner types into it as is. */
  inputMode?: 'numeric' | 'text' | 'email';
  /** Take the focus when shown (at the till, so a scanner's burst of digits lands here). */
  focus?: boolean;
  large?: boolean;
}

export function Field({ label, hint, value, onValue, type = 'text', focus, large, autoComplete = 'off', ...rest }: FieldProps) {
  const id = useId();
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, []);
  const attrs = {
    id, ref, ...rest, value, autoComplete, spellcheck: false, class: large ? 'large' : undefined,
    'aria-describedby': hint ? `${id}-hint` : undefined,
    onInput: (e: { currentTarget: HTMLInputElement }) => onValue(e.currentTarget.value),
  };
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {type === 'password' ? <input type="password" {...attrs} /> : type === 'email' ? <input type="email" {...attrs} /> : <input type="text" {...attrs} />}
      {hint && <p id={`${id}-hint`} class="hint">{hint}</p>}
    </div>
  );
}

/** Label–value pairs (a receipt, a payment, a customer's profile). */
export function Facts({ rows }: { rows: [string, ComponentChildren, string?][] }) {
  return (
    <dl class="facts">
      {rows.map(([label, value, testId]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd data-testid={testId}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
