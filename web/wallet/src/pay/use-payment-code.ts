/**
 * The code on screen, kept fresh (PAY-1): a new one at the server's `refreshAt` (every
 * 60 s), which makes the one before unusable. Refreshing stops while the page is hidden
 * (Page Visibility: the phone in a pocket makes no codes) and when the screen is left;
 * back in view, a code past its refresh time is replaced at once. A refusal stops the
 * refreshing and is shown; once the unlock has run out, the screen locks again.
 */
import { useEffect, useState } from 'preact/hooks';
import type { PaymentCode } from '../../../shared/contract.js';
import { api, ApiError, NetworkError, serverNow } from '../api.js';

const RETRY_MS = 10_000;

export interface CodeState {
  code?: PaymentCode | undefined;
  error?: unknown;
  /** Ask again after a refusal (the "show a new code" button). */
  retry(): void;
}

export function usePaymentCode(onLocked: () => void): CodeState {
  const [code, setCode] = useState<PaymentCode>();
  const [error, setError] = useState<unknown>();
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let left = false;
    let refreshAt = 0; // now: the first code at once
    let showing = false;

    const schedule = () => {
      clearTimeout(timer);
      if (left || document.visibilityState === 'hidden') return;
      timer = setTimeout(() => void fetchCode(), Math.max(0, refreshAt - serverNow()));
    };
    const fetchCode = async () => {
      try {
        const next = await api<PaymentCode>('POST', '/v1/payment-codes');
        if (left) return;
        refreshAt = Date.parse(next.refreshAt);
        showing = true;
        setCode(next);
        setError(undefined);
        schedule();
      } catch (err) {
        if (left) return;
        if (err instanceof ApiError && err.code === 'unlock_required') return onLocked();
        // A dropped connection most likely made no new code, so the one shown still pays
        // (and if the server did make one, the till's refusal says `superseded`): try again shortly.
        if (err instanceof NetworkError && showing) {
          refreshAt = serverNow() + RETRY_MS;
          return schedule();
        }
        // The code shown may be dead already (a frozen account, a signed-out device): take it away.
        showing = false;
        setCode(undefined);
        setError(err);
      }
    };
    const onVisibility = () => (document.visibilityState === 'hidden' ? clearTimeout(timer) : schedule());

    document.addEventListener('visibilitychange', onVisibility);
    schedule();
    return () => {
      left = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [attempt]);

  return { code, error, retry: () => setAttempt((n) => n + 1) };
}

/** The server's time, ticking once a second, for the countdown. */
export function useServerNow(): number {
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    const id = setInterval(() => setNow(serverNow()), 1000);
    return () => clearInterval(id);
  }, []);
  return now;
}
