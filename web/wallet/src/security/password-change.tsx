/**
 * Changing the password from a signed-in session (ID-8): privileged, so the current
 * password is asked for in place when the sign-in is older than 5 minutes. The API signs
 * out every other session and starts the 24-hour cooling-off; the screen says both.
 */
import { useState } from 'preact/hooks';
import { useAction } from '../action.js';
import { api } from '../api.js';
import { useLocale } from '../i18n/i18n.js';
import { InputError } from '../problems.js';
import { ErrorAlert, Field, Form, Submit } from '../ui/form.js';
import type { PasswordChanged } from './contract.js';
import { useReauth } from './reauth.js';

export function PasswordChange({ onChanged, onSignedOut }: { onChanged(): Promise<void>; onSignedOut(): void }) {
  const { t } = useLocale();
  const action = useAction();
  const reauth = useReauth(action, onSignedOut);
  const [password, setPassword] = useState('');
  const [done, setDone] = useState<string>();
  const submit = () => action.run(async () => {
    setDone(undefined);
    if ([...password].length < 8) throw new InputError('error.weak_password.too_short');
    await reauth.guard(async () => {
      const r = await api<PasswordChanged>('POST', '/v1/me/password', { newPassword: password });
      setPassword('');
      setDone(t('password.changed', { n: r.sessionsRevoked }));
      await onChanged();
    });
  });
  return (
    <>
      {reauth.panel}
      <Form onSubmit={submit} busy={action.busy}>
        <Field label={t('password.new')} hint={t('signup.password.hint')} value={password} onValue={setPassword} type="password"
          name="new-password" autoComplete="new-password" required />
        <ErrorAlert message={action.message} />
        {done && <p class="note" role="status">{done}</p>}
        <Submit busy={action.busy} label={t('password.submit')} />
      </Form>
    </>
  );
}
