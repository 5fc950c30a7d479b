/** Placeholder until this screen is built. */
import { useLocale } from '../i18n/i18n.js';
import { Layout } from '../ui/layout.js';
import { BackHome } from '../ui/nav.js';

export function TopupScreen(_: { onSignedOut(): void }) {
  const { t } = useLocale();
  return <Layout title={t('topup.title')}><BackHome /></Layout>;
}
