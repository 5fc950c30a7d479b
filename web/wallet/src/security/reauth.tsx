/**
 * Confirming it is you, in place. Two refusals ask for it:
 * - `reauthentication_required` (ID-8): changing how the account signs in needs a session
 *   confirmed within the last 5 minutes (the password, a passkey or another factor);
 * - `step_up_required` (RISK-1): the risk engine wants a second factor before a card
 *   top-up or a new card (a new phone, for instance); a password does not count.
 * Rather than sending the customer elsewhere, the screen that asked shows the panel right
 * there, explains why, and once confirmed (a new session: the cookies are replaced)
 * repeats what was asked, the same request (a top-up keeps its Idempotency-Key).
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../api.js';
import { sessionEnded } from '../session.js';
import { ReauthPanel } from './reauth-panel.js';
import type { ReauthReason } from './reauth-ways.js';
import './reauth.css';

type Retry = () => Promise<void>;

const REASONS: Record<string, ReauthReason> = { reauthentication_required: 'privileged', step_up_required: 'step_up' };

export interface Reauth {
  /** Runs a request; if the API asks to confirm it is you first, keeps it to repeat after. */
  guard(fn: Retry): Promise<void>;
  /** The panel while a confirmation is needed, else nothing: render it next to (or instead of) the control that asked. */
  panel: JSX.Element | null;
}

/** `action`: the screen's own request state, so the repeated request's outcome shows where it was asked. */
export function useReauth(action: { run(fn: () => Promise<void>): Promise<void> }, onSignedOut: () => void): Reauth {
  const [pending, setPending] = useState<{ retry: Retry; reason: ReauthReason }>();
  const guard = async (fn: Retry): Promise<void> => {
    try {
      await fn();
    } catch (err) {
      const reason = err instanceof ApiError ? REASONS[err.code] : undefined;
      if (reason) return setPending({ retry: fn, reason });
      if (sessionEnded(err)) return onSignedOut();
      throw err;
    }
  };
  const panel = pending
    ? <ReauthPanel key={pending.reason} reason={pending.reason} onSignedOut={onSignedOut} onCancel={() => setPending(undefined)} onConfirmed={() => {
      setPending(undefined);
      void action.run(() => guard(pending.retry));
    }} />
    : null;
  return { guard, panel };
}
