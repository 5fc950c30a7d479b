/** The money screens' requests: as the wallet's (action.ts), explained with amounts and dates. */
import { useRequest } from '../../../shared/action.js';
import { useLocale } from '../i18n/i18n.js';
import { explainMoney } from './explain.js';

export function useMoneyAction() {
  const { t, locale } = useLocale();
  return useRequest((err) => explainMoney(err, t, locale));
}
