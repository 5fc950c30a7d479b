/**
 * Re-authentication in place (ID-8). Changing how the account signs in needs a session
 * confirmed within the last 5 minutes; past that the API refuses with
 * `reauthentication_required`. Rather than sending the customer elsewhere, the section that
 * asked shows a password field right there, explains why, and once the password is
 * confirmed (a new, privileged session: the cookies are replaced) repeats what was asked.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useAction } from '../action.js';
import { api, ApiError } from '../api.js';
import { useLocale } from '../i18n/i18n.js';
import { sessionEnded } from '../session.js';
import { ErrorAlert, Field, Form, Submit } from '../ui/form.js';

type Retry = () => Promise<void>;

export interface Reauth {
  /** Runs a privileged request; if the API asks for the password first, keeps it to repeat after. */
  guard(fn: Retry): Promise<void>;
  /** The password form while one is needed, else nothing: render it next to the control that asked. */
  panel: JSX.Element | null;
}

/** `action`: the section's own request state, so the repeated request's outcome shows where it was asked. */
export function useReauth(action: { run(fn: () => Promise<void>): Promise<void> }, onSignedOut: () => void): Reauth {
  const [pending, setPending] = useState<{ retry: Retry }>();
  const guard = async (fn: Retry): Promise<void> => {
    try {
      await fn();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'reauthentication_required') return setPending({ retry: fn });
      if (sessionEnded(err)) return onSignedOut();
      throw err;
    }
  };
  const panel = pending
    ? <ReauthForm onSignedOut={onSignedOut} onCancel={() => setPending(undefined)} onConfirmed={() => {
      setPending(undefined);
      void action.run(() => guard(pending.retry));
    }} />
    : null;
  return { guard, panel };
}

function ReauthForm({ onConfirmed, onCancel, onSignedOut }: { onConfirmed(): void; onCancel(): void; onSignedOut(): void }) {
  const { t } = useLocale();
  const action = useAction();
  const [password, setPassword] = useState('');
  const submit = () => action.run(async () => {
    try {
      await api('POST', '/v1/me/reauthenticate', { password });
    } catch (err) {
      setPassword('');
      // Five wrong passwords sign this session out: back to signing in.
      if (sessionEnded(err)) return onSignedOut();
      throw err;
    }
    onConfirmed();
  });
  return (
    <section class="reauth" aria-labelledby="reauth-heading">
      <h3 id="reauth-heading">{t('reauth.title')}</h3>
      <p class="why">{t('reauth.why')}</p>
      <Form onSubmit={submit} busy={action.busy}>
        <Field label={t('reauth.password')} value={password} onValue={setPassword} type="password" name="password"
          autoComplete="current-password" required focus />
        <ErrorAlert message={action.message} />
        <Submit busy={action.busy} label={t('reauth.submit')} />
        <button class="link" type="button" onClick={onCancel}>{t('action.cancel')}</button>
      </Form>
    </section>
  );
}
