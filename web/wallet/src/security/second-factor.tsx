/**
 * The second factor of a sign-in on a new device or of an account recovery: the field for
 * the chosen way (a 6-digit code from the SMS or the authenticator app, or a recovery code
 * as printed), and buttons to switch to any other way the API offers.
 */
import { useLocale } from '../i18n/i18n.js';
import { CodeField, Field } from '../ui/form.js';
import type { FactorMethod } from './contract.js';

/** The way offered first: a passkey cannot be phished, an app code needs no network; SMS is always there. */
export function preferredMethod(methods: readonly FactorMethod[], passkeys: boolean): FactorMethod {
  if (passkeys && methods.includes('passkey')) return 'passkey';
  if (methods.includes('totp')) return 'totp';
  return 'sms';
}

export function FactorField({ method, value, onValue }: { method: Exclude<FactorMethod, 'passkey'>; value: string; onValue(v: string): void }) {
  const { t } = useLocale();
  if (method === 'recovery_code') {
    return <Field label={t('factor.recovery_code.label')} hint={t('factor.recovery_code.hint')} value={value} onValue={onValue}
      name="recovery-code" autoComplete="off" required focus />;
  }
  return method === 'totp'
    ? <CodeField label={t('factor.totp.label')} hint={t('factor.totp.hint')} value={value} onValue={onValue} />
    : <CodeField label={t('login.sms.label')} value={value} onValue={onValue} />;
}

export function OtherWays({ methods, current, passkeys, onPick, disabled }: {
  methods: readonly FactorMethod[]; current: FactorMethod; passkeys: boolean; onPick(m: FactorMethod): void; disabled: boolean;
}) {
  const { t } = useLocale();
  const others = methods.filter((m) => m !== current && (m !== 'passkey' || passkeys));
  if (others.length === 0) return null;
  return (
    <div class="other-ways" role="group" aria-labelledby="other-ways">
      <p id="other-ways" class="hint">{t('factor.other')}</p>
      {others.map((m) => <button key={m} class="link" type="button" disabled={disabled} onClick={() => onPick(m)}>{t(`factor.use.${m}`)}</button>)}
    </div>
  );
}
