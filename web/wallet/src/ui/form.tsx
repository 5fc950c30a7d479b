/**
 * Form pieces with the accessibility wiring done once: every input has a visible label
 * and its hint is announced with it (aria-describedby); a refusal appears in an alert
 * region, present from the start, that screen readers read out as soon as it fills.
 */
import { useEffect, useId, useRef } from 'preact/hooks';
import { Alert, Form, Submit } from '../../../shared/ui.js';
import { useLocale } from '../i18n/i18n.js';

interface InputProps {
  label: string;
  hint?: string | undefined;
  value: string;
  onValue(v: string): void;
  type?: 'text' | 'email' | 'password' | 'tel';
  name: string;
  autoComplete: string;
  inputMode?: string;
  required?: boolean;
  pattern?: string;
  maxLength?: number;
  /** Take the focus when shown: the next step of a flow, so keyboards and screen readers follow. */
  focus?: boolean;
}

export function Field({ label, hint, value, onValue, type = 'text', focus, ...rest }: InputProps) {
  const id = useId();
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, []);
  const attrs = { id, ref, ...rest, value, onInput: (e: { currentTarget: HTMLInputElement }) => onValue(e.currentTarget.value), 'aria-describedby': hint ? `${id}-hint` : undefined };
  // One element per type: Preact's types check each input type's attributes separately.
  const input = type === 'email' ? <input type="email" {...attrs} />
    : type === 'password' ? <input type="password" {...attrs} />
      : type === 'tel' ? <input type="tel" {...attrs} />
        : <input type="text" {...attrs} />;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {input}
      {hint && <p id={`${id}-hint`} class="hint">{hint}</p>}
    </div>
  );
}

/** A one-time code field: digits only, and the phone may offer the code from the SMS itself. */
export function CodeField(props: { label: string; hint?: string; value: string; onValue(v: string): void }) {
  // A code is always the step after something else: it takes the focus.
  return (
    <Field {...props} focus name="code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" maxLength={6} required
      onValue={(v) => props.onValue(v.replace(/\D/g, ''))} />
  );
}

export function ErrorAlert({ message }: { message: string | undefined }) {
  const { t } = useLocale();
  return <Alert title={t('error.title')} message={message} />;
}

export { Form, Submit };
