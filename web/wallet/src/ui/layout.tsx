/** The frame of every screen: the brand, the language switch, and the screen's content. */
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { useLocale, type Locale } from '../i18n/i18n.js';

const LANGUAGES: { locale: Locale; name: string }[] = [
  { locale: 'ja', name: '日本語' },
  { locale: 'en', name: 'English' },
];

function LanguageSwitch() {
  const { locale, setLocale, t } = useLocale();
  return (
    <div class="lang" role="group" aria-label={t('lang.switch')}>
      {LANGUAGES.map((l) => (
        <button key={l.locale} type="button" lang={l.locale} aria-pressed={locale === l.locale} onClick={() => setLocale(l.locale)}>
          {l.name}
        </button>
      ))}
    </div>
  );
}

export function Layout({ title, children }: { title: string; children: ComponentChildren }) {
  const { t } = useLocale();
  // The tab, the task switcher and screen readers name the page by its screen.
  useEffect(() => {
    document.title = `${title} · Konpay`;
  }, [title]);
  return (
    <>
      <header class="bar">
        <span class="brand">
          <img src="/app/icons/icon.svg" alt="" width={28} height={28} />
          Konpay
        </span>
        <LanguageSwitch />
      </header>
      <main class="screen">
        <h1>{title}</h1>
        {children}
      </main>
      <footer class="foot">{t('app.tagline')}</footer>
    </>
  );
}
