/** Links between the wallet's screens: real links (open in a new tab, read as links), moved in-app without a reload. */
import type { ComponentChildren } from 'preact';
import { useLocale } from '../i18n/i18n.js';
import { hrefOf, navigate, type Route } from '../router.js';

export function Link({ to, class: cls, children }: { to: Route; class?: string; children: ComponentChildren }) {
  return (
    <a href={hrefOf(to)} class={cls} onClick={(e) => {
      // A modified click (new tab, new window) is the browser's to handle.
      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      navigate(to);
    }}>{children}</a>
  );
}

export function BackHome() {
  const { t } = useLocale();
  return <p class="back"><Link to="home">{t('nav.home')}</Link></p>;
}
