/** The frame of every screen: the brand, the language switch, and the screen's content. */
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { useLocale } from '../i18n/i18n.js';
import { LanguageSwitch } from '../../../shared/ui.js';

function Languages() {
  const { locale, setLocale, t } = useLocale();
  return <LanguageSwitch locale={locale} setLocale={setLocale} label={t('lang.switch')} />;
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
        <Languages />
      </header>
      <main class="screen">
        <h1>{title}</h1>
        {children}
      </main>
      <footer class="foot">{t('app.tagline')}</footer>
    </>
  );
}
