/**
 * One request at a time per screen: `busy` disables the button (no double submits, which
 * would send a second code), and the last refusal is kept as is so that its explanation
 * follows a change of language.
 */
import { useState } from 'preact/hooks';
import { ApiError } from './api.js';
import { useLocale } from './i18n/i18n.js';
import { explain } from './problems.js';

export function useAction() {
  const { t } = useLocale();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  return {
    busy,
    /** The explained refusal, in the current language. */
    message: error === undefined ? undefined : explain(error, t),
    /** The refusal's problem code, for screens that offer a way out (start again). */
    code: error instanceof ApiError ? error.code : undefined,
    clear: () => setError(undefined),
    fail: (err: unknown) => setError(err),
    async run(fn: () => Promise<void>): Promise<void> {
      setBusy(true);
      setError(undefined);
      try {
        await fn();
      } catch (err) {
        setError(err);
      } finally {
        setBusy(false);
      }
    },
  };
}
