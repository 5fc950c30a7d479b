/**
 * The frame of every console screen (1280×800 and up): the brand, who is signed in with
 * their role, the language switch and sign-out on top; the screens in a side navigation;
 * the screen's title is its <h1> and the tab's name.
 */
import type { ComponentChildren } from 'preact';
import { useContext, useEffect } from 'preact/hooks';
import { LanguageSwitch } from '../../shared/ui.js';
import { useLocale } from './i18n/i18n.js';
import { hrefOf, navigate, type Route } from './router.js';
import { SessionContext } from './session.js';

type Section = 'dashboard' | 'customers' | 'cases' | 'approvals' | 'switches' | 'webhooks' | 'audit';
const SECTIONS: Section[] = ['dashboard', 'customers', 'cases', 'approvals', 'switches', 'webhooks', 'audit'];
/** The audit log is for admins (src/ops/http/roles.ts): others do not see the link. */
const ADMIN_ONLY: ReadonlySet<Section> = new Set(['audit']);

function Languages() {
  const { locale, setLocale, t } = useLocale();
  return <LanguageSwitch locale={locale} setLocale={setLocale} label={t('lang.switch')} />;
}

export function Layout({ title, section, children }: { title: string; section?: Section; children: ComponentChildren }) {
  const { t } = useLocale();
  const session = useContext(SessionContext);
  useEffect(() => {
    document.title = `${title} · ${t('app.title')}`;
  }, [title, t]);
  return (
    <div class={session ? 'frame' : 'frame signed-out'}>
      <header class="bar">
        <div class="brand">
          <span class="name">{t('app.title')}</span>
          {session && <span class="who" data-testid="operator">{t('operator.as', { name: session.operator.name, role: t(`role.${session.operator.role}`) })}</span>}
        </div>
        <Languages />
        {session && <button type="button" class="signout" onClick={() => session.signOut()}>{t('signOut')}</button>}
      </header>
      {session && (
        <nav class="side" aria-label={t('nav.label')}>
          <ul>
            {SECTIONS.filter((s) => !ADMIN_ONLY.has(s) || session.operator.role === 'admin').map((s) => {
              const route = { name: s } as Route;
              return (
                <li key={s}>
                  <a
                    href={hrefOf(route)} aria-current={section === s ? 'page' : undefined}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(route);
                    }}
                  >{t(`nav.${s}`)}</a>
                </li>
              );
            })}
          </ul>
        </nav>
      )}
      <main class="screen">
        <h1>{title}</h1>
        {children}
      </main>
    </div>
  );
}
