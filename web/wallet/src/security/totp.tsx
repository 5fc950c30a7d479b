/**
 * The authenticator app (TOTP, ID-11). Setting it up: the API makes a secret, shown once
 * as a QR code for the app to scan and as text to type in by hand; the app's current code
 * proves it was scanned, and only then is it turned on. Turning it off is a confirmation
 * away. Both are privileged: the password is asked for in place when needed.
 */
import { useEffect, useState } from 'preact/hooks';
import { useAction } from '../action.js';
import { api, ApiError } from '../api.js';
import { useLocale } from '../i18n/i18n.js';
import { InputError } from '../problems.js';
import { sessionEnded } from '../session.js';
import { CodeField, ErrorAlert, Form, Submit } from '../ui/form.js';
import { Layout } from '../ui/layout.js';
import { Link } from '../ui/nav.js';
import type { Factors, TotpEnrolled } from './contract.js';
import { formatWhen } from './format.js';
import { qrDataUrl } from './qr.js';
import { useReauth } from './reauth.js';
import './security.css';

type Phase = { kind: 'loading' } | { kind: 'off' } | { kind: 'on'; since: string } | { kind: 'scan'; secret: string; qr: string } | { kind: 'done' };

/** "JBSW Y3DP …": four characters a group, easier to type from the screen. */
const grouped = (secret: string) => secret.replace(/(.{4})(?=.)/g, '$1 ');

export function TotpScreen({ onSignedOut }: { onSignedOut(): void }) {
  const { t, locale } = useLocale();
  const action = useAction();
  const reauth = useReauth(action, onSignedOut);
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const [code, setCode] = useState('');
  const [confirmOff, setConfirmOff] = useState(false);

  useEffect(() => {
    void action.run(async () => {
      try {
        const f = await api<Factors>('GET', '/v1/me/factors');
        setPhase(f.totp.status === 'enabled' ? { kind: 'on', since: f.totp.confirmedAt! } : { kind: 'off' });
      } catch (err) {
        if (sessionEnded(err)) return onSignedOut();
        throw err;
      }
    });
  }, []);

  const start = () => action.run(() => reauth.guard(async () => {
    const r = await api<TotpEnrolled>('POST', '/v1/me/factors/totp');
    setPhase({ kind: 'scan', secret: r.secret, qr: await qrDataUrl(r.otpauthUri) });
  }));
  const confirm = () => action.run(() => reauth.guard(async () => {
    try {
      await api('POST', '/v1/me/factors/totp/confirm', { code });
    } catch (err) {
      // This refusal counts no tries (the general message would say "0 left"): say what to check instead.
      if (err instanceof ApiError && err.code === 'code_wrong') throw new InputError('error.totp_wrong');
      throw err;
    }
    setCode('');
    setPhase({ kind: 'done' });
  }));
  const turnOff = () => action.run(() => reauth.guard(async () => {
    await api('DELETE', '/v1/me/factors/totp');
    setConfirmOff(false);
    setPhase({ kind: 'off' });
  }));

  return (
    <Layout title={t('totp.title')}>
      {phase.kind === 'loading' && !action.message && <p role="status">{t('security.loading')}</p>}
      {phase.kind === 'off' && (
        <>
          <p class="why">{t('totp.why')}</p>
          {reauth.panel}
          <ErrorAlert message={action.message} />
          <button class="primary" type="button" disabled={action.busy} onClick={start}>{t('totp.start')}</button>
        </>
      )}
      {phase.kind === 'scan' && (
        <>
          <ol class="steps">
            <li>{t('totp.scan.open')}</li>
            <li>{t('totp.scan.scan')}</li>
          </ol>
          <img class="totp-qr" src={phase.qr} alt={t('totp.scan.qr')} width={240} height={240} />
          <p class="hint">{t('totp.scan.manual')}</p>
          <p class="secret" data-testid="totp-secret" aria-label={t('totp.scan.secret')}>{grouped(phase.secret)}</p>
          <p class="hint">{t('totp.scan.private')}</p>
          {reauth.panel}
          <Form onSubmit={confirm} busy={action.busy}>
            <CodeField label={t('totp.code')} hint={t('totp.code.hint')} value={code} onValue={setCode} />
            <ErrorAlert message={action.message} />
            <Submit busy={action.busy} label={t('totp.confirm')} />
          </Form>
        </>
      )}
      {phase.kind === 'done' && (
        <>
          <p class="note" role="status">{t('totp.done')}</p>
          <p>{t('totp.done.codes')}</p>
          <Link to="recoveryCodes" class="secondary button">{t('factors.recoveryCodes.make')}</Link>
        </>
      )}
      {phase.kind === 'on' && (
        <>
          <p data-testid="totp-status">{t('factors.totp.on', { when: formatWhen(phase.since, locale) })}</p>
          <p class="hint">{t('totp.on.hint')}</p>
          {reauth.panel}
          <ErrorAlert message={action.message} />
          {confirmOff
            ? (
              <div class="confirm">
                <p class="why">{t('totp.off.confirm')}</p>
                <button class="danger" type="button" disabled={action.busy} onClick={turnOff}>{t('totp.off.yes')}</button>
                <button class="link" type="button" onClick={() => setConfirmOff(false)}>{t('action.cancel')}</button>
              </div>
            )
            : <button class="secondary" type="button" onClick={() => setConfirmOff(true)}>{t('totp.off')}</button>}
        </>
      )}
      <p class="back"><Link to="security">{t('nav.security')}</Link></p>
    </Layout>
  );
}
