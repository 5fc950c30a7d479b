/**
 * Unlocking the app before a code is shown (PAY-1): with a passkey when the account has
 * one and this browser can use passkeys (a fingerprint or face, nothing to type or watch
 * over the shoulder), else the device's PIN, or choosing one when this phone has none yet
 * (or it was turned off after five wrong tries). Choosing a PIN is a privileged change:
 * past the 5 minutes after signing in, the API asks for the password first, and this form
 * asks for it in place.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Me, Unlocked } from '../../../shared/contract.js';
import { useAction } from '../action.js';
import { api, ApiError } from '../api.js';
import { useLocale } from '../i18n/i18n.js';
import { InputError } from '../problems.js';
import type { UnlockOptions } from '../security/contract.js';
import { passkeysSupported, signWithPasskey } from '../security/passkey.js';
import { sessionEnded } from '../session.js';
import { ErrorAlert, Field, Form, Submit } from '../ui/form.js';

const PIN = /^\d{4,6}$/;
const digits = (v: string) => v.replace(/\D/g, '').slice(0, 6);

function PinField({ label, hint, value, onValue, focus = true }: { label: string; hint: string; value: string; onValue(v: string): void; focus?: boolean }) {
  // Masked like a card PIN; numeric keypad; never offered for saving by the browser.
  return <Field label={label} hint={hint} value={value} onValue={(v) => onValue(digits(v))} type="password" name="pin"
    autoComplete="off" inputMode="numeric" pattern="[0-9]{4,6}" maxLength={6} required focus={focus} />;
}

const unlock = (pin: string) => api<Unlocked>('POST', '/v1/unlock', { method: 'pin', pin });

/** Whether to offer the passkey: the account has one and this browser can use it. */
function usePasskeyOffered(): [boolean, (v: boolean) => void] {
  const [offered, setOffered] = useState(false);
  useEffect(() => {
    if (!passkeysSupported()) return;
    // Only a hint: without it the PIN still works, so a failure here is not shown.
    api<Me>('GET', '/v1/me').then((me) => setOffered(me.factors.includes('passkey')), () => undefined);
  }, []);
  return [offered, setOffered];
}

function PasskeyUnlock({ onUnlocked, onSignedOut, onUnavailable }: { onUnlocked(): void; onSignedOut(): void; onUnavailable(): void }) {
  const { t } = useLocale();
  const action = useAction();
  const submit = () => action.run(async () => {
    try {
      const { flowId, options } = await api<UnlockOptions>('POST', '/v1/unlock/passkey/options');
      const response = await signWithPasskey(options);
      await api<Unlocked>('POST', '/v1/unlock', { method: 'passkey', flowId, response });
    } catch (err) {
      if (sessionEnded(err)) return onSignedOut();
      // The passkey was removed meanwhile: the PIN is the way.
      if (err instanceof ApiError && err.code === 'no_passkeys') return onUnavailable();
      throw err;
    }
    onUnlocked();
  });
  return (
    <div class="passkey-unlock">
      <p class="why">{t('pay.passkey.why')}</p>
      <ErrorAlert message={action.message} />
      <button class="primary" type="button" disabled={action.busy} onClick={submit}>{t('pay.passkey.submit')}</button>
      <p class="or">{t('pay.passkey.orPin')}</p>
    </div>
  );
}

export function UnlockForm({ onUnlocked, onNoPin, onSignedOut }: { onUnlocked(): void; onNoPin(why?: ApiError): void; onSignedOut(): void }) {
  const { t } = useLocale();
  const action = useAction();
  const [pin, setPin] = useState('');
  const [passkey, setPasskey] = usePasskeyOffered();
  const submit = () => action.run(async () => {
    if (!PIN.test(pin)) throw new InputError('error.pin_format');
    try {
      await unlock(pin);
    } catch (err) {
      setPin('');
      if (sessionEnded(err)) return onSignedOut();
      // No PIN here, or it was turned off: the way on is to choose one (the refusal says why).
      if (err instanceof ApiError && (err.code === 'pin_not_set' || err.code === 'pin_locked')) return onNoPin(err.code === 'pin_locked' ? err : undefined);
      throw err;
    }
    onUnlocked();
  });
  return (
    <>
      {passkey && <PasskeyUnlock onUnlocked={onUnlocked} onSignedOut={onSignedOut} onUnavailable={() => setPasskey(false)} />}
      <Form onSubmit={submit} busy={action.busy}>
        {!passkey && <p class="why">{t('pay.unlock.why')}</p>}
        <ErrorAlert message={action.message} />
        <PinField label={t('pay.pin.label')} hint={t('pay.pin.hint')} value={pin} onValue={setPin} focus={!passkey} />
        <Submit label={t('pay.unlock.submit')} busy={action.busy} />
      </Form>
    </>
  );
}

/** `why`: the refusal that led here (a PIN turned off after wrong tries), explained until the first submit. */
export function SetPinForm({ onUnlocked, onSignedOut, why }: { onUnlocked(): void; onSignedOut(): void; why?: ApiError | undefined }) {
  const { t } = useLocale();
  const action = useAction();
  const [pin, setPin] = useState('');
  const [password, setPassword] = useState('');
  const [needPassword, setNeedPassword] = useState(false);
  useEffect(() => {
    if (why) action.fail(why);
  }, []);
  const submit = () => action.run(async () => {
    if (!PIN.test(pin)) throw new InputError('error.pin_format');
    try {
      // A new session comes back (and new cookies), privileged for 5 minutes: the PIN is set on it.
      if (needPassword) {
        await api('POST', '/v1/me/reauthenticate', { password });
        setNeedPassword(false);
      }
      await api('PUT', '/v1/devices/current/pin', { pin });
    } catch (err) {
      if (sessionEnded(err)) return onSignedOut();
      if (err instanceof ApiError && err.code === 'reauthentication_required') setNeedPassword(true);
      throw err;
    }
    await unlock(pin);
    onUnlocked();
  });
  return (
    <Form onSubmit={submit} busy={action.busy}>
      <p class="why">{t('pay.setPin.why')}</p>
      <ErrorAlert message={action.message} />
      <PinField label={t('pay.setPin.label')} hint={t('pay.setPin.hint')} value={pin} onValue={setPin} />
      {needPassword && (
        <Field label={t('pay.password.label')} hint={t('pay.password.why')} value={password} onValue={setPassword}
          type="password" name="password" autoComplete="current-password" required focus />
      )}
      <Submit label={t('pay.setPin.submit')} busy={action.busy} />
    </Form>
  );
}
