/**
 * One request at a time per screen: `busy` disables the buttons (a double tap must not
 * send twice), and the last refusal is kept as is, not as text, so its explanation
 * follows a change of language. `intercept` lets an app take a refusal elsewhere (the
 * till signs out when its credentials stop working) instead of showing it.
 */
import { useState } from 'preact/hooks';

export function useRequest(explain: (err: unknown) => string, intercept?: (err: unknown) => boolean) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  return {
    busy,
    error,
    /** The explained refusal, in the current language. */
    message: error === undefined ? undefined : explain(error),
    clear: () => setError(undefined),
    fail: (err: unknown) => setError(err),
    async run(fn: () => Promise<void>): Promise<void> {
      setBusy(true);
      setError(undefined);
      try {
        await fn();
      } catch (err) {
        if (!intercept?.(err)) setError(err);
      } finally {
        setBusy(false);
      }
    },
  };
}
