/**
 * Operator sign-in: e-mail, password and the authenticator app's code, every time. The
 * password field lets a password manager fill it; the code field asks for digits.
 */
import { useState } from 'preact/hooks';
import { useRequest } from '../../../shared/action.js';
import { api } from '../api.js';
import type { Operator, SignedIn, SignInBody } from '../contract.js';
import { useLocale } from '../i18n/i18n.js';
import { Layout } from '../layout.js';
import { InputError, explain, sessionEnded } from '../problems.js';
import { ErrorAlert, Field, Form, Submit } from '../ui.js';

export function SignInScreen({ reason, onSignedIn }: { reason: unknown; onSignedIn(operator: Operator, csrfToken: string): void }) {
  const { t } = useLocale();
  const action = useRequest((err) => explain(err, t));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [why, setWhy] = useState(reason);

  const submit = () => action.run(async () => {
    setWhy(undefined);
    const body: SignInBody = { email: email.trim(), password, code: code.replace(/\s+/g, '') };
    if (!body.email || !body.password || !body.code) throw new InputError('signin.empty');
    const r = await api<SignedIn>('POST', '/ops/v1/session', body);
    onSignedIn(r.operator, r.csrfToken);
  });

  return (
    <Layout title={t('signin.title')}>
      <p class="why">{t('signin.why')}</p>
      <Form onSubmit={submit} busy={action.busy}>
        <Field label={t('signin.email')} name="email" type="email" autoComplete="username" value={email} onValue={setEmail} focus />
        <Field label={t('signin.password')} name="password" type="password" autoComplete="current-password" value={password} onValue={setPassword} />
        <Field label={t('signin.code')} hint={t('signin.code.hint')} name="code" inputMode="numeric" autoComplete="one-time-code" value={code} onValue={setCode} />
        <ErrorAlert message={action.message ?? (why === undefined ? undefined : sessionEnded(why) ? t('signin.ended') : explain(why, t))} />
        <Submit label={t('signin.submit')} busy={action.busy} />
      </Form>
    </Layout>
  );
}
