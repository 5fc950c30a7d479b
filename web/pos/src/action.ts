/**
 * One request at a time per screen: `busy` disables the buttons (a double tap must not
 * send twice), and the last refusal is kept as is so its explanation follows a change
 * of language. Credentials that stopped working end the session with the explanation.
 */
import { useContext, useState } from 'preact/hooks';
import { useLocale } from './i18n/i18n.js';
import { explain } from './problems.js';
import { SessionContext, credentialsDead } from './session.js';

export function useAction() {
  const { t } = useLocale();
  const session = useContext(SessionContext);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  return {
    busy,
    error,
    message: error === undefined ? undefined : explain(error, t),
    clear: () => setError(undefined),
    fail: (err: unknown) => setError(err),
    async run(fn: () => Promise<void>): Promise<void> {
      setBusy(true);
      setError(undefined);
      try {
        await fn();
      } catch (err) {
        if (session && credentialsDead(err)) session.signOut(err);
        else setError(err);
      } finally {
        setBusy(false);
      }
    },
  };
}
