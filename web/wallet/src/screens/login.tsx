/**
 * Sign-in. On a device that signed in before (its HttpOnly device cookie) the password is
 * enough; anywhere else the API asks for a second factor (ID-4), and this screen sends
 * the SMS code and asks for it: the password alone never opens a new device, which is
 * what 7pay got wrong. Passkeys and authenticator apps come with their own screens.
 */
import { useState } from 'preact/hooks';
import type { LoginBody, LoginVerifyBody, SecondFactorRequired, SessionIssued } from '../../../shared/contract.js';
import { useAction } from '../action.js';
import { api } from '../api.js';
import { deviceLabel } from '../device.js';
import { useLocale } from '../i18n/i18n.js';
import { hrefOf, navigate } from '../router.js';
import { CodeField, ErrorAlert, Field, Form, Submit } from '../ui/form.js';
import { Layout } from '../ui/layout.js';

type Step = { kind: 'credentials' } | { kind: 'sms'; flowId: string } | { kind: 'unavailable' };

export function LoginScreen({ onSignedIn }: { onSignedIn(): void }) {
  const { t } = useLocale();
  const action = useAction();
  const [step, setStep] = useState<Step>({ kind: 'credentials' });
  const [identifier, setIdentifier] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [resent, setResent] = useState(false);

  const sendSms = (flowId: string) => api('POST', `/v1/login/${flowId}/sms`);

  const submit = () => action.run(async () => {
    if (step.kind === 'credentials') {
      const r = await api<SessionIssued | SecondFactorRequired>('POST', '/v1/login', { identifier: identifier.trim(), password, transport: 'cookie' } satisfies LoginBody);
      if (r.status === 'authenticated') return onSignedIn();
      if (!r.methods.includes('sms')) return setStep({ kind: 'unavailable' });
      setStep({ kind: 'sms', flowId: r.flowId });
      await sendSms(r.flowId);
    } else if (step.kind === 'sms') {
      await api<SessionIssued>('POST', `/v1/login/${step.flowId}/verify`, { method: 'sms', code, deviceLabel: deviceLabel(), transport: 'cookie' } satisfies LoginVerifyBody);
      onSignedIn();
    }
  });

  const resend = () => action.run(async () => {
    if (step.kind !== 'sms') return;
    await sendSms(step.flowId);
    setResent(true);
  });

  const restart = () => {
    action.clear();
    setCode('');
    setResent(false);
    setStep({ kind: 'credentials' });
  };

  if (step.kind === 'unavailable') {
    return (
      <Layout title={t('login.sms.title')}>
        <p>{t('login.sms.unavailable')}</p>
        <button class="link" type="button" onClick={restart}>{t('action.back')}</button>
      </Layout>
    );
  }

  if (step.kind === 'sms') {
    return (
      <Layout title={t('login.sms.title')}>
        <p class="why">{t('login.sms.why')}</p>
        <Form onSubmit={submit} busy={action.busy}>
          <CodeField label={t('login.sms.label')} value={code} onValue={setCode} />
          <ErrorAlert message={action.message} />
          {resent && <p class="note" role="status">{t('action.resent')}</p>}
          <Submit busy={action.busy} label={t('login.sms.submit')} />
          <button class="link" type="button" disabled={action.busy} onClick={resend}>{t('action.resend')}</button>
          <button class="link" type="button" onClick={restart}>{t('action.back')}</button>
        </Form>
      </Layout>
    );
  }

  return (
    <Layout title={t('login.title')}>
      <Form onSubmit={submit} busy={action.busy}>
        <Field label={t('login.identifier.label')} type="text" name="username" autoComplete="username" inputMode="email"
          required value={identifier} onValue={setIdentifier} />
        <Field label={t('login.password.label')} type="password" name="password" autoComplete="current-password"
          required value={password} onValue={setPassword} />
        <ErrorAlert message={action.message} />
        <Submit busy={action.busy} label={t('login.submit')} />
      </Form>
      <p class="switch">
        {t('login.noAccount')}{' '}
        <a href={hrefOf('signup')} onClick={(e) => { e.preventDefault(); navigate('signup'); }}>{t('login.createAccount')}</a>
      </p>
    </Layout>
  );
}
