/** Placeholder until this screen is built. */
import { useLocale } from '../i18n/i18n.js';
import { Layout } from '../ui/layout.js';

export function RecoverScreen(_: { onSignedIn(): void }) {
  const { t } = useLocale();
  return <Layout title={t('security.title')}>{null}</Layout>;
}
