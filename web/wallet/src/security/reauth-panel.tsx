/**
 * The panel itself: why it is asked, the way tried first, and links to the others this
 * account has (reauth-ways.ts). A passkey is one tap; an SMS is sent only when asked for,
 * so no code lands on the phone for nothing; five wrong answers sign the session out,
 * and then the customer is taken back to signing in.
 */
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { useAction } from '../action.js';
import { api } from '../api.js';
import { useLocale } from '../i18n/i18n.js';
import { sessionEnded } from '../session.js';
import { CodeField, ErrorAlert, Field, Form, Submit } from '../ui/form.js';
import type { Factors, PasskeyFactorOptions, ReauthBody, Reauthenticated } from './contract.js';
import { passkeysSupported, signWithPasskey } from './passkey.js';
import { FactorField } from './second-factor.js';
import { waysFor, type ReauthReason, type Way } from './reauth-ways.js';

interface Props { reason: ReauthReason; onConfirmed(): void; onCancel(): void; onSignedOut(): void }

export function ReauthPanel({ reason, onConfirmed, onCancel, onSignedOut }: Props) {
  const { t } = useLocale();
  const action = useAction();
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [ways, setWays] = useState<Way[]>();
  const [way, setWay] = useState<Way>();
  const [value, setValue] = useState('');
  const [smsSent, setSmsSent] = useState(false);
  const [resent, setResent] = useState(false);

  /** A refusal that ended the session (five wrong answers) goes back to signing in. */
  const ending = (fn: () => Promise<void>) => async () => {
    try {
      await fn();
    } catch (err) {
      if (sessionEnded(err)) return onSignedOut();
      throw err;
    }
  };

  useEffect(() => {
    void action.run(ending(async () => {
      let factors: Factors | undefined;
      try {
        factors = await api<Factors>('GET', '/v1/me/factors');
      } catch (err) {
        // Without the list, the ways every account has (the SMS, and the password where it counts).
        if (sessionEnded(err)) throw err;
      }
      const all = waysFor(reason, factors, passkeysSupported());
      setWays(all);
      setWay(all[0]);
    }));
  }, []);

  // A way with no field to type in (a passkey, an SMS not sent yet): the heading takes the
  // focus, so keyboards and screen readers land in the panel, not on the page's top.
  const fieldless = way === 'passkey' || (way === 'sms' && !smsSent);
  useEffect(() => {
    if (fieldless) heading.current?.focus();
  }, [way, fieldless]);

  const sendSms = async () => {
    await api('POST', '/v1/me/reauthenticate/sms');
    setSmsSent(true);
  };

  const confirm = async (body: ReauthBody) => {
    try {
      await api<Reauthenticated>('POST', '/v1/me/reauthenticate', body);
    } finally {
      setValue('');
    }
    onConfirmed();
  };

  const submit = () => action.run(ending(async () => {
    if (way === 'passkey') {
      const { options } = await api<PasskeyFactorOptions>('POST', '/v1/me/reauthenticate/passkey/options');
      return confirm({ method: 'passkey', response: await signWithPasskey(options) });
    }
    if (way === 'sms' && !smsSent) return sendSms();
    if (way === 'password') return confirm({ password: value });
    if (way) return confirm({ method: way, code: value.trim() });
  }));

  const pick = (next: Way) => action.run(ending(async () => {
    setValue('');
    setResent(false);
    setWay(next);
    // Its link says "send a code by SMS": picking it sends one.
    if (next === 'sms' && !smsSent) await sendSms();
  }));

  const resend = () => action.run(ending(async () => {
    await sendSms();
    setResent(true);
  }));

  const label = way === 'passkey' ? t('reauth.passkey.submit') : way === 'sms' && !smsSent ? t('reauth.sms.send') : t('reauth.submit');
  return (
    <section class="reauth" aria-labelledby={headingId} data-testid="reauth">
      <h3 id={headingId} ref={heading} tabIndex={-1}>{t('reauth.title')}</h3>
      <p class="why">{t(reason === 'step_up' ? 'stepup.why' : 'reauth.why')}</p>
      {!way && !action.message && <p role="status">{t('reauth.loading')}</p>}
      <Form onSubmit={submit} busy={action.busy}>
        {way === 'password' && <Field key="password" label={t('reauth.password')} value={value} onValue={setValue} type="password" name="password"
          autoComplete="current-password" required focus />}
        {way === 'passkey' && <p class="hint">{t('reauth.passkey.hint')}</p>}
        {way === 'sms' && <p class="hint">{t(smsSent ? 'reauth.sms.sent' : 'reauth.sms.hint')}</p>}
        {way === 'sms' && smsSent && <CodeField key="sms" label={t('login.sms.label')} value={value} onValue={setValue} />}
        {(way === 'totp' || way === 'recovery_code') && <FactorField key={way} method={way} value={value} onValue={setValue} />}
        <ErrorAlert message={action.message} />
        {resent && <p class="note" role="status">{t('action.resent')}</p>}
        {way && <Submit busy={action.busy} label={label} />}
        {way === 'sms' && smsSent && <button class="link" type="button" disabled={action.busy} onClick={resend}>{t('action.resend')}</button>}
        {ways && way && ways.length > 1 && (
          <div class="other-ways" role="group" aria-labelledby={`${headingId}-other`}>
            <p id={`${headingId}-other`} class="hint">{t('factor.other')}</p>
            {ways.filter((w) => w !== way).map((w) => (
              <button key={w} class="link" type="button" disabled={action.busy} onClick={() => void pick(w)}>
                {t(w === 'password' ? 'reauth.use.password' : w === 'sms' && smsSent ? 'reauth.use.smsSent' : `factor.use.${w}`)}
              </button>
            ))}
          </div>
        )}
        <button class="link" type="button" onClick={onCancel}>{t('action.cancel')}</button>
      </Form>
    </section>
  );
}
