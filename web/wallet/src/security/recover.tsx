/**
 * Forgot the password (ID-7): the account is named by its e-mail address or mobile number
 * and nothing else; a code goes to the verified e-mail address on file (never to one typed
 * here); then a second factor (a passkey, the authenticator app, an SMS to the verified
 * phone or a recovery code) together with the new password. The API then signs out every
 * other session, forgets every device, and signs this one in, in cooling-off for 24 hours.
 *
 * The first answer is the same whether or not the account exists (ID-6), so this screen
 * never says "no such account": it says where a code goes if there is one.
 */
import { useState } from 'preact/hooks';
import type { SessionIssued } from '../../../shared/contract.js';
import { useAction } from '../action.js';
import { api, ApiError } from '../api.js';
import { deviceLabel } from '../device.js';
import { useLocale } from '../i18n/i18n.js';
import { InputError } from '../problems.js';
import { hrefOf, navigate } from '../router.js';
import { CodeField, ErrorAlert, Field, Form, Submit } from '../ui/form.js';
import { Layout } from '../ui/layout.js';
import type { FactorMethod, PasskeyFactorOptions, RecoveryCompleteBody, RecoveryEmailVerified, RecoveryStarted } from './contract.js';
import { passkeysSupported, signWithPasskey } from './passkey.js';
import { FactorField, OtherWays, preferredMethod } from './second-factor.js';
import './security.css';

type Step =
  | { kind: 'identifier' }
  | { kind: 'email'; flowId: string }
  | { kind: 'finish'; flowId: string; methods: FactorMethod[]; method: FactorMethod };

/** Refusals that end the flow: the only way on is to start again. */
const FLOW_OVER = new Set(['flow_not_found', 'too_many_attempts', 'resend_limit']);

export function RecoverScreen({ onSignedIn }: { onSignedIn(): void }) {
  const { t } = useLocale();
  const action = useAction();
  const [step, setStep] = useState<Step>({ kind: 'identifier' });
  const [identifier, setIdentifier] = useState('');
  const [code, setCode] = useState('');
  const [factorCode, setFactorCode] = useState('');
  const [password, setPassword] = useState('');
  const [smsSent, setSmsSent] = useState(false);
  const passkeys = passkeysSupported();

  const sendSms = async (flowId: string) => {
    await api('POST', `/v1/recovery/${flowId}/sms`);
    setSmsSent(true);
  };
  const pick = (flowId: string, methods: FactorMethod[], method: FactorMethod) => action.run(async () => {
    setFactorCode('');
    setStep({ kind: 'finish', flowId, methods, method });
    if (method === 'sms') await sendSms(flowId);
  });

  const submit = () => action.run(async () => {
    if (step.kind === 'identifier') {
      const r = await api<RecoveryStarted>('POST', '/v1/recovery', { identifier: identifier.trim() });
      setCode('');
      return setStep({ kind: 'email', flowId: r.flowId });
    }
    if (step.kind === 'email') {
      const r = await api<RecoveryEmailVerified>('POST', `/v1/recovery/${step.flowId}/email`, { code });
      const method = preferredMethod(r.methods, passkeys);
      setStep({ kind: 'finish', flowId: step.flowId, methods: r.methods, method });
      if (method === 'sms') await sendSms(step.flowId);
      return;
    }
    if ([...password].length < 8) throw new InputError('error.weak_password.too_short');
    const common = { newPassword: password, deviceLabel: deviceLabel(), transport: 'cookie' as const };
    let body: RecoveryCompleteBody;
    if (step.method === 'passkey') {
      const { options } = await api<PasskeyFactorOptions>('POST', `/v1/recovery/${step.flowId}/passkey/options`);
      body = { method: 'passkey', response: await signWithPasskey(options), ...common };
    } else {
      body = { method: step.method, code: factorCode.trim(), ...common };
    }
    await api<SessionIssued>('POST', `/v1/recovery/${step.flowId}/complete`, body);
    onSignedIn();
  });

  const restart = () => {
    action.clear();
    setSmsSent(false);
    setStep({ kind: 'identifier' });
  };
  const flowOver = action.error instanceof ApiError && FLOW_OVER.has(action.error.code);
  const backToLogin = (
    <p class="switch">
      <a href={hrefOf('login')} onClick={(e) => { e.preventDefault(); navigate('login'); }}>{t('recover.backToLogin')}</a>
    </p>
  );

  if (step.kind === 'identifier') {
    return (
      <Layout title={t('recover.title')}>
        <p class="step">{t('step', { n: 1, total: 3 })}</p>
        <p class="why">{t('recover.why')}</p>
        <Form onSubmit={submit} busy={action.busy}>
          <Field label={t('login.identifier.label')} type="text" name="username" autoComplete="username" inputMode="email"
            required value={identifier} onValue={setIdentifier} />
          <ErrorAlert message={action.message} />
          <Submit busy={action.busy} label={t('recover.send')} />
        </Form>
        {backToLogin}
      </Layout>
    );
  }

  if (step.kind === 'email') {
    return (
      <Layout title={t('signup.emailCode.title')}>
        <p class="step">{t('step', { n: 2, total: 3 })}</p>
        <Form onSubmit={submit} busy={action.busy}>
          <CodeField label={t('signup.emailCode.label')} hint={t('recover.email.hint')} value={code} onValue={setCode} />
          <ErrorAlert message={action.message} />
          {flowOver
            ? <button class="primary" type="button" onClick={restart}>{t('action.restart')}</button>
            : <Submit busy={action.busy} label={t('action.next')} />}
          {!flowOver && <button class="link" type="button" onClick={restart}>{t('action.restart')}</button>}
        </Form>
        {backToLogin}
      </Layout>
    );
  }

  const { method } = step;
  return (
    <Layout title={t('recover.finish.title')}>
      <p class="step">{t('step', { n: 3, total: 3 })}</p>
      <p class="why">{t(`recover.factor.${method}`)}</p>
      <Form onSubmit={submit} busy={action.busy}>
        {method !== 'passkey' && <FactorField method={method} value={factorCode} onValue={setFactorCode} />}
        {method === 'sms' && smsSent && <p class="note" role="status">{t('recover.smsSent')}</p>}
        <Field label={t('password.new')} hint={t('signup.password.hint')} value={password} onValue={setPassword} type="password"
          name="new-password" autoComplete="new-password" required focus={method === 'passkey'} />
        <p class="hint">{t('recover.after')}</p>
        <ErrorAlert message={action.message} />
        {flowOver
          ? <button class="primary" type="button" onClick={restart}>{t('action.restart')}</button>
          : <Submit busy={action.busy} label={method === 'passkey' ? t('recover.submit.passkey') : t('recover.submit')} />}
        {method === 'sms' && !flowOver && (
          <button class="link" type="button" disabled={action.busy} onClick={() => action.run(() => sendSms(step.flowId))}>{t('action.resend')}</button>
        )}
        {!flowOver && <OtherWays methods={step.methods} current={method} passkeys={passkeys} disabled={action.busy} onPick={(m) => pick(step.flowId, step.methods, m)} />}
      </Form>
      {backToLogin}
    </Layout>
  );
}
