/**
 * Sign-up (ID-1): e-mail, password and mobile number, one small step each, then the code
 * e-mailed and the code sent by SMS. The API takes the three details in one request and
 * sends both codes at once, so the codes come last; each step is checked by the API, and
 * a refusal about an earlier step takes the customer back to it.
 */
import { useState } from 'preact/hooks';
import type { FlowStarted, SessionIssued, SignupBody, SignupPending, SignupVerifyBody } from '../../../shared/contract.js';
import { useAction } from '../action.js';
import { api, ApiError } from '../api.js';
import { deviceLabel } from '../device.js';
import { useLocale } from '../i18n/i18n.js';
import { InputError } from '../problems.js';
import { hrefOf, navigate } from '../router.js';
import { CodeField, ErrorAlert, Field, Form, Submit } from '../ui/form.js';
import { Layout } from '../ui/layout.js';

const STEPS = ['email', 'password', 'phone', 'emailCode', 'smsCode'] as const;
type Step = (typeof STEPS)[number];

/** Codes that end the flow: the only way on is from the first step. */
const FLOW_OVER = new Set(['flow_not_found', 'too_many_attempts', 'resend_limit']);

export function SignupScreen({ onSignedIn }: { onSignedIn(): void }) {
  const { t, locale } = useLocale();
  const action = useAction();
  const [step, setStep] = useState<Step>('email');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [flowId, setFlowId] = useState<string>();
  const [resent, setResent] = useState(false);

  const go = (next: Step) => {
    setStep(next);
    setCode('');
    setResent(false);
  };
  const verify = (body: { emailCode: string } | { smsCode: string }) =>
    api<SignupPending | SessionIssued>('POST', `/v1/signup/${flowId}/verify`, { ...body, deviceLabel: deviceLabel(), transport: 'cookie' } satisfies SignupVerifyBody);

  const submit = () => action.run(async () => {
    switch (step) {
      case 'email':
        if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) throw new InputError('error.invalid_email');
        return go('password');
      case 'password':
        if ([...password].length < 8) throw new InputError('error.weak_password.too_short');
        return go('phone');
      case 'phone': {
        try {
          const started = await api<FlowStarted>('POST', '/v1/signup', { email: email.trim(), phone, password, locale } satisfies SignupBody);
          setFlowId(started.flowId);
          return go('emailCode');
        } catch (err) {
          // Show the refusal on the step it is about.
          if (err instanceof ApiError && err.code === 'invalid_email') go('email');
          if (err instanceof ApiError && err.code === 'weak_password') go('password');
          throw err;
        }
      }
      case 'emailCode': {
        const r = await verify({ emailCode: code });
        return r.status === 'authenticated' ? onSignedIn() : go('smsCode');
      }
      case 'smsCode': {
        const r = await verify({ smsCode: code });
        if (r.status === 'authenticated') onSignedIn();
        return;
      }
    }
  });

  const resend = (channel: 'email' | 'sms') => action.run(async () => {
    await api('POST', `/v1/signup/${flowId}/resend`, { channel });
    setResent(true);
  });

  const restart = () => {
    action.clear();
    setFlowId(undefined);
    go('email');
  };

  const index = STEPS.indexOf(step);
  const title = step === 'emailCode' ? t('signup.emailCode.title') : step === 'smsCode' ? t('signup.smsCode.title') : t('signup.title');
  const flowOver = action.code !== undefined && FLOW_OVER.has(action.code);

  return (
    <Layout title={title}>
      <p class="step">{t('step', { n: index + 1, total: STEPS.length })}</p>
      <Form onSubmit={submit} busy={action.busy}>
        {step === 'email' && (
          <Field label={t('signup.email.label')} hint={t('signup.email.hint')} type="email" name="email" autoComplete="email"
            inputMode="email" required value={email} onValue={setEmail} />
        )}
        {step === 'password' && (
          <>
            <Field label={t('signup.password.label')} hint={t('signup.password.hint')} type={showPassword ? 'text' : 'password'}
              name="password" autoComplete="new-password" required focus value={password} onValue={setPassword} />
            <label class="check">
              <input type="checkbox" checked={showPassword} onChange={(e) => setShowPassword(e.currentTarget.checked)} />
              {t('action.showPassword')}
            </label>
          </>
        )}
        {step === 'phone' && (
          <Field label={t('signup.phone.label')} hint={t('signup.phone.hint')} type="tel" name="phone" autoComplete="tel"
            inputMode="tel" required focus value={phone} onValue={setPhone} />
        )}
        {step === 'emailCode' && (
          <CodeField label={t('signup.emailCode.label')} hint={t('signup.emailCode.hint', { email: email.trim() })} value={code} onValue={setCode} />
        )}
        {step === 'smsCode' && (
          <CodeField label={t('signup.smsCode.label')} hint={t('signup.smsCode.hint', { phone })} value={code} onValue={setCode} />
        )}
        <ErrorAlert message={action.message} />
        {resent && <p class="note" role="status">{t('action.resent')}</p>}
        {flowOver
          ? <button class="primary" type="button" onClick={restart}>{t('action.restart')}</button>
          : <Submit busy={action.busy} label={step === 'phone' ? t('signup.phone.submit') : step === 'smsCode' ? t('signup.smsCode.submit') : t('action.next')} />}
        {(step === 'emailCode' || step === 'smsCode') && !flowOver && (
          <button class="link" type="button" disabled={action.busy} onClick={() => resend(step === 'emailCode' ? 'email' : 'sms')}>{t('action.resend')}</button>
        )}
        {step === 'emailCode' && !flowOver && (
          // A typo in the address shows here: start again with the details kept, to correct it.
          <button class="link" type="button" onClick={restart}>{t('action.restart')}</button>
        )}
        {(step === 'password' || step === 'phone') && (
          <button class="link" type="button" onClick={() => { action.clear(); go(STEPS[index - 1]!); }}>{t('action.back')}</button>
        )}
      </Form>
      {index < 3 && (
        <p class="switch">
          {t('signup.haveAccount')}{' '}
          <a href={hrefOf('login')} onClick={(e) => { e.preventDefault(); navigate('login'); }}>{t('login.title')}</a>
        </p>
      )}
    </Layout>
  );
}
