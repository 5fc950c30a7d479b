/**
 * The second factors (ID-11): passkeys listed, added on this device or removed; the
 * authenticator app and the recovery codes, each with its own screen; the SMS code to the
 * verified phone, which is always there. Every change is privileged: the password is asked
 * for in place when the sign-in is older than 5 minutes.
 */
import { useState } from 'preact/hooks';
import { useAction } from '../action.js';
import { api } from '../api.js';
import { deviceLabel } from '../device.js';
import { useLocale } from '../i18n/i18n.js';
import { ErrorAlert } from '../ui/form.js';
import { Link } from '../ui/nav.js';
import type { Passkey, PasskeyCreation } from './contract.js';
import { formatWhen } from './format.js';
import { createPasskey, passkeysSupported } from './passkey.js';
import { useReauth } from './reauth.js';
import type { SecurityData } from './security.js';

interface SectionProps { data: SecurityData; onChanged(): Promise<void>; onSignedOut(): void }

function PasskeyItem({ passkey, busy, onRemove }: { passkey: Passkey; busy: boolean; onRemove(): void }) {
  const { t, locale } = useLocale();
  const [confirming, setConfirming] = useState(false);
  return (
    <li data-testid="passkey">
      <div class="what">
        <strong>{passkey.label}</strong>
        <span>{t('factors.passkey.added', { when: formatWhen(passkey.createdAt, locale) })}</span>
        <span>{passkey.lastUsedAt ? t('factors.passkey.used', { when: formatWhen(passkey.lastUsedAt, locale) }) : t('factors.passkey.unused')}</span>
      </div>
      {confirming
        ? (
          <div class="confirm" role="group" aria-label={t('factors.passkey.removeConfirm', { label: passkey.label })}>
            <p>{t('factors.passkey.removeConfirm', { label: passkey.label })}</p>
            <button class="danger" type="button" disabled={busy} onClick={onRemove}>{t('factors.passkey.removeYes')}</button>
            <button class="link" type="button" onClick={() => setConfirming(false)}>{t('action.cancel')}</button>
          </div>
        )
        : <button class="small" type="button" onClick={() => setConfirming(true)} aria-label={t('factors.passkey.removeNamed', { label: passkey.label })}>{t('factors.passkey.remove')}</button>}
    </li>
  );
}

export function FactorsSection({ data, onChanged, onSignedOut }: SectionProps) {
  const { t, locale } = useLocale();
  const action = useAction();
  const reauth = useReauth(action, onSignedOut);
  const [done, setDone] = useState<string>();
  const { factors } = data;

  const add = () => action.run(() => reauth.guard(async () => {
    setDone(undefined);
    const { options } = await api<PasskeyCreation>('POST', '/v1/me/factors/passkeys/options');
    const response = await createPasskey(options);
    await api('POST', '/v1/me/factors/passkeys', { response, label: deviceLabel() });
    setDone(t('factors.passkey.addedNow'));
    await onChanged();
  }));
  const remove = (p: Passkey) => action.run(() => reauth.guard(async () => {
    setDone(undefined);
    await api('DELETE', `/v1/me/factors/passkeys/${encodeURIComponent(p.id)}`);
    setDone(t('factors.passkey.removedNow', { label: p.label }));
    await onChanged();
  }));

  const totp = factors.totp.status === 'enabled'
    ? t('factors.totp.on', { when: formatWhen(factors.totp.confirmedAt!, locale) })
    : t('factors.totp.off');
  return (
    <section class="panel" aria-labelledby="factors-heading">
      <h2 id="factors-heading">{t('factors.title')}</h2>
      <p class="hint">{t('factors.why')}</p>

      <h3>{t('factors.passkeys')}</h3>
      <p class="hint">{t('factors.passkeys.why')}</p>
      {factors.passkeys.length === 0
        ? <p>{t('factors.passkeys.none')}</p>
        : <ul class="items" data-testid="passkeys">{factors.passkeys.map((p) => <PasskeyItem key={p.id} passkey={p} busy={action.busy} onRemove={() => remove(p)} />)}</ul>}
      {reauth.panel}
      <ErrorAlert message={action.message} />
      {done && <p class="note" role="status">{done}</p>}
      {passkeysSupported()
        ? <button class="primary" type="button" disabled={action.busy} onClick={add}>{t('factors.passkey.add')}</button>
        : <p class="hint">{t('error.passkey_unsupported')}</p>}

      <h3>{t('factors.totp')}</h3>
      <p data-testid="totp-status">{totp}</p>
      <Link to="totp" class="secondary button">{factors.totp.status === 'enabled' ? t('factors.totp.manage') : t('factors.totp.setUp')}</Link>

      <h3>{t('factors.recoveryCodes')}</h3>
      <p data-testid="recovery-codes-status">{factors.recoveryCodes.createdAt ? t('factors.recoveryCodes.left', { n: factors.recoveryCodes.remaining }) : t('factors.recoveryCodes.none')}</p>
      <Link to="recoveryCodes" class="secondary button">{factors.recoveryCodes.createdAt ? t('factors.recoveryCodes.manage') : t('factors.recoveryCodes.make')}</Link>

      <h3>{t('factors.sms')}</h3>
      <p>{t('factors.sms.on', { phone: data.me.phone })}</p>
    </section>
  );
}
