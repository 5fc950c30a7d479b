/**
 * Pieces every Konpay web app shows the same way: the language switch, forms whose
 * refusals the app explains itself, and an alert region present from the start (screen
 * readers read it out as soon as it fills). Words come from the app (its own messages).
 */
import type { ComponentChildren } from 'preact';
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
