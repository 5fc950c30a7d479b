/** The wallet's requests (web/shared/action.ts), with the refusal's problem code for screens that offer a way out. */
import { useRequest } from '../../shared/action.js';
import { ApiError } from './api.js';
import { useLocale } from './i18n/i18n.js';
import { explain } from './problems.js';

export function useAction() {
  const { t } = useLocale();
  const request = useRequest((err) => explain(err, t));
  return { ...request, code: request.error instanceof ApiError ? request.error.code : undefined };
}
