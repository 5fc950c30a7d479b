/** The password, changed from the security screen: the form opens on request, the API's effects said beside it. */
import { useState } from 'preact/hooks';
import { useLocale } from '../i18n/i18n.js';
import { PasswordChange } from './password-change.js';

export function PasswordSection({ onChanged, onSignedOut }: { onChanged(): Promise<void>; onSignedOut(): void }) {
  const { t } = useLocale();
  const [open, setOpen] = useState(false);
  return (
    <section class="panel" aria-labelledby="password-heading">
      <h2 id="password-heading">{t('password.title')}</h2>
      <p class="hint">{t('password.why')}</p>
      {open
        ? <PasswordChange onChanged={onChanged} onSignedOut={onSignedOut} />
        : <button class="secondary" type="button" onClick={() => setOpen(true)}>{t('password.open')}</button>}
    </section>
  );
}
