/**
 * The pieces every till screen is made of: the shared ones (web/shared/ui.tsx) and the
 * alert in the till's own words.
 */
import { Alert, Facts, Field, Form, Submit } from '../../shared/ui.js';
import { useLocale } from './i18n/i18n.js';

export function ErrorAlert({ message }: { message: string | undefined }) {
  const { t } = useLocale();
  return <Alert title={t('error.title')} message={message} />;
}

export { Facts, Field, Form, Submit };
