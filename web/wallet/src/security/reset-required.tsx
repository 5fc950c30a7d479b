/**
 * When the account must replace its password (it was found in a breach list, or Konpay
 * reset every password after an incident), the API refuses everything else with
 * `password_reset_required`; this screen is then the only one shown. It reuses the
 * security settings' password change (with its in-place re-authentication), and offers
 * only the other thing the API still allows: signing out.
 */
import { useAction } from '../action.js';
import { api } from '../api.js';
import { useLocale } from '../i18n/i18n.js';
import { ErrorAlert } from '../ui/form.js';
import { Layout } from '../ui/layout.js';
import { PasswordChange } from './password-change.js';

/** Fired by api.ts when any answer says `password_reset_required`; the app switches to this screen. */
export const RESET_REQUIRED_EVENT = 'konpay:password-reset-required';

export function ResetRequiredScreen({ onReset, onSignedOut }: { onReset(): void; onSignedOut(): void }) {
  const { t } = useLocale();
  const signOut = useAction();
  return (
    <Layout title={t('resetRequired.title')}>
      <p>{t('resetRequired.why')}</p>
      <p class="note">{t('resetRequired.phishing')}</p>
      <PasswordChange onChanged={async () => onReset()} onSignedOut={onSignedOut} />
      <ErrorAlert message={signOut.message} />
      <button class="secondary" type="button" disabled={signOut.busy} onClick={() => signOut.run(async () => {
        await api('POST', '/v1/logout');
        onSignedOut();
      })}>{t('action.signOut')}</button>
    </Layout>
  );
}
