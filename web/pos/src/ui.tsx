/**
 * The pieces every till screen is made of, with the accessibility wiring done once: a
 * visible label for every input and its hint announced with it, an alert region present
 * from the start (screen readers read it as it fills), and facts as a description list.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';
import { Alert, Form, Submit } from '../../shared/ui.js';
import { useLocale } from './i18n/i18n.js';

interface FieldProps {
  label: string;
  hint?: string | undefined;
  value: string;
  onValue(v: string): void;
  name: string;
  type?: 'text' | 'password';
  autoComplete?: string;
  /** `numeric`: a tablet shows its number pad; a keypad or scanner types into it as is. */
  inputMode?: 'numeric' | 'text';
  /** Take the focus when shown, so a scanner's burst of digits lands here. */
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
    onInput: (e: { currentTarget: HTMLInputElement }) => onValue(e.currentTarget.value),
    'aria-describedby': hint ? `${id}-hint` : undefined,
  };
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {type === 'password' ? <input type="password" {...attrs} /> : <input type="text" {...attrs} />}
      {hint && <p id={`${id}-hint`} class="hint">{hint}</p>}
    </div>
  );
}

export function ErrorAlert({ message }: { message: string | undefined }) {
  const { t } = useLocale();
  return <Alert title={t('error.title')} message={message} />;
}

export { Form, Submit };

/** Label–value pairs of a receipt or a payment. */
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
