/**
 * Sign-in. A passkey signs in on its own (it is both factors: something held, unlocked by
 * a fingerprint, face or PIN, and it cannot be phished). With a password, a device that
 * signed in before (its HttpOnly device cookie) is enough; anywhere else the API asks for a
 * second factor (ID-4) and this screen offers the ones the account has: a passkey, the
 * authenticator app, an SMS code or a recovery code. The password alone never opens a new
 * device, which is what 7pay got wrong. Nor does an external ID (OpenID Connect): linked
 * under Security, it stands in for the password only, and a new device still needs the
 * second factor.
 */
import { useEffect, useState } from 'preact/hooks';
import type { LoginBody, LoginVerifyBody, SecondFactorRequired, SessionIssued } from '../../../shared/contract.js';
import { useAction } from '../action.js';
import { api } from '../api.js';
import { deviceLabel } from '../device.js';
import { useLocale } from '../i18n/i18n.js';
import { hrefOf, navigate, type Route } from '../router.js';
import type { FactorMethod, OidcProviders, PasskeyFactorOptions, PasskeyLoginOptions } from '../security/contract.js';
import { takeOidcReturn } from '../security/oidc-return.js';
import { passkeysSupported, signWithPasskey } from '../security/passkey.js';
import { FactorField, OtherWays, preferredMethod } from '../security/second-factor.js';
import { ErrorAlert, Field, Form, Submit } from '../ui/form.js';
import { Layout } from '../ui/layout.js';

type Step = { kind: 'credentials' } | { kind: 'factor'; flowId: string; methods: FactorMethod[]; method: FactorMethod };

function InAppLink({ to, children }: { to: Route; children: string }) {
  return <a href={hrefOf(to)} onClick={(e) => { e.preventDefault(); navigate(to); }}>{children}</a>;
}

export function LoginScreen({ onSignedIn }: { onSignedIn(): void }) {
  const { t } = useLocale();
  const action = useAction();
  const [step, setStep] = useState<Step>({ kind: 'credentials' });
  const [identifier, setIdentifier] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [resent, setResent] = useState(false);
  const passkeys = passkeysSupported();
  const [providers, setProviders] = useState<OidcProviders['providers']>([]);

  const sendSms = (flowId: string) => api('POST', `/v1/login/${flowId}/sms`);
  const verify = (flowId: string, body: LoginVerifyBody) => api<SessionIssued>('POST', `/v1/login/${flowId}/verify`, body);

  const choose = async (flowId: string, methods: FactorMethod[], method: FactorMethod) => {
    setCode('');
    setResent(false);
    setStep({ kind: 'factor', flowId, methods, method });
    // The SMS is sent only when it is the way chosen: no code lands on the phone for nothing.
    if (method === 'sms') await sendSms(flowId);
  };

  const submit = () => action.run(async () => {
    if (step.kind === 'credentials') {
      const r = await api<SessionIssued | SecondFactorRequired>('POST', '/v1/login', { identifier: identifier.trim(), password, transport: 'cookie' } satisfies LoginBody);
      if (r.status === 'authenticated') return onSignedIn();
      return choose(r.flowId, r.methods, preferredMethod(r.methods, passkeys));
    }
    const common = { deviceLabel: deviceLabel(), transport: 'cookie' as const };
    if (step.method === 'passkey') {
      const { options } = await api<PasskeyFactorOptions>('POST', `/v1/login/${step.flowId}/passkey/options`);
      await verify(step.flowId, { method: 'passkey', response: await signWithPasskey(options), ...common });
    } else {
      await verify(step.flowId, { method: step.method, code: code.trim(), ...common });
    }
    onSignedIn();
  });

  /** Usernameless: the phone offers its Konpay passkeys, and the one chosen names the account. */
  const passkeySignIn = () => action.run(async () => {
    const { flowId, options } = await api<PasskeyLoginOptions>('POST', '/v1/login/passkey/options', {});
    const response = await signWithPasskey(options);
    await api<SessionIssued>('POST', '/v1/login/passkey/verify', { flowId, response, deviceLabel: deviceLabel(), transport: 'cookie' });
    onSignedIn();
  });

  // External ID sign-in (ID-12): the providers configured, and where a provider's sign-in
  // came back to. A linked identity on a new device lands in the same second-factor step as
  // a right password does; any refusal is shown like the API's.
  useEffect(() => {
    api<OidcProviders>('GET', '/v1/oidc/providers').then((r) => setProviders(r.providers), () => setProviders([]));
    const back = takeOidcReturn();
    if (back?.kind === 'second_factor') void action.run(() => choose(back.flowId, back.methods, preferredMethod(back.methods, passkeys)));
    else if (back?.kind === 'error') void action.run(() => Promise.reject(back.error));
  }, []);

  const resend = () => action.run(async () => {
    if (step.kind !== 'factor') return;
    await sendSms(step.flowId);
    setResent(true);
  });

  const restart = () => {
    action.clear();
    setCode('');
    setResent(false);
    setStep({ kind: 'credentials' });
  };

  if (step.kind === 'factor') {
    const { method } = step;
    return (
      <Layout title={t('login.sms.title')}>
        <p class="why">{t(`login.factor.${method}`)}</p>
        <Form onSubmit={submit} busy={action.busy}>
          {method !== 'passkey' && <FactorField method={method} value={code} onValue={setCode} />}
          <ErrorAlert message={action.message} />
          {resent && <p class="note" role="status">{t('action.resent')}</p>}
          <Submit busy={action.busy} label={method === 'passkey' ? t('login.factor.passkey.submit') : t('login.sms.submit')} />
          {method === 'sms' && <button class="link" type="button" disabled={action.busy} onClick={resend}>{t('action.resend')}</button>}
          <OtherWays methods={step.methods} current={method} passkeys={passkeys} disabled={action.busy}
            onPick={(m) => action.run(() => choose(step.flowId, step.methods, m))} />
          <button class="link" type="button" onClick={restart}>{t('action.back')}</button>
        </Form>
      </Layout>
    );
  }

  return (
    <Layout title={t('login.title')}>
      <Form onSubmit={submit} busy={action.busy}>
        <Field label={t('login.identifier.label')} type="text" name="username" autoComplete="username webauthn" inputMode="email"
          required value={identifier} onValue={setIdentifier} />
        <Field label={t('login.password.label')} type="password" name="password" autoComplete="current-password"
          required value={password} onValue={setPassword} />
        <ErrorAlert message={action.message} />
        <Submit busy={action.busy} label={t('login.submit')} />
      </Form>
      <p class="switch"><InAppLink to="recover">{t('login.forgot')}</InAppLink></p>
      {passkeys && (
        <div class="alternative">
          <p class="or">{t('login.or')}</p>
          <button class="secondary" type="button" disabled={action.busy} onClick={passkeySignIn}>{t('login.passkey')}</button>
          <p class="hint">{t('login.passkey.hint')}</p>
        </div>
      )}
      {providers.length > 0 && (
        <div class="alternative" data-testid="oidc-providers">
          <p class="or">{t('oidc.or')}</p>
          {/* A top-level navigation: the provider's page, then back through Konpay's callback. */}
          {providers.map((p) => <a key={p.name} class="secondary button" href={p.startUrl}>{t('oidc.signInWith', { label: p.label })}</a>)}
          <p class="hint">{t('oidc.hint')}</p>
        </div>
      )}
      <p class="switch">
        {t('login.noAccount')}{' '}
        <InAppLink to="signup">{t('login.createAccount')}</InAppLink>
      </p>
    </Layout>
  );
}
