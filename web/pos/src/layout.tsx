/**
 * The frame of every till screen: the brand, the store and terminal signed in, the
 * till's three tasks, the language switch and sign-out; the screen's title is its <h1>
 * and the tab's name.
 */
import type { ComponentChildren } from 'preact';
import { useContext, useEffect } from 'preact/hooks';
import { useLocale } from './i18n/i18n.js';
import { LanguageSwitch } from '../../shared/ui.js';
import { SessionContext } from './session.js';

export type Task = 'sale' | 'afterSale' | 'cash';
const TASKS: Task[] = ['sale', 'afterSale', 'cash'];

function Languages() {
  const { locale, setLocale, t } = useLocale();
  return <LanguageSwitch locale={locale} setLocale={setLocale} label={t('lang.switch')} />;
}

export function Layout({ title, task, onTask, children }: { title: string; task?: Task; onTask?(t: Task): void; children: ComponentChildren }) {
  const { t } = useLocale();
  const session = useContext(SessionContext);
  useEffect(() => {
    document.title = `${title} · ${t('app.title')}`;
  }, [title, t]);
  return (
    <>
      <header class="bar">
        <div class="brand">
          <span class="name">{t('app.title')}</span>
          {session && <span class="where" data-testid="terminal">{t('terminal.at', { store: session.terminal.store.name, terminal: session.terminal.id })}</span>}
        </div>
        <Languages />
        {session && <button type="button" class="signout" onClick={() => session.signOut()}>{t('signOut')}</button>}
      </header>
      {session && onTask && (
        <nav class="tasks" aria-label={t('nav.label')}>
          {TASKS.map((k) => (
            <button key={k} type="button" aria-current={task === k ? 'page' : undefined} onClick={() => onTask(k)}>{t(`nav.${k}`)}</button>
          ))}
        </nav>
      )}
      <main class="screen">
        <h1>{title}</h1>
        {children}
      </main>
    </>
  );
}
