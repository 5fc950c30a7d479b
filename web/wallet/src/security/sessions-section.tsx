/**
 * Where the account is signed in (ID-9): each session with the device it runs on, this one
 * marked, any other signed out with one tap; the devices remembered for sign-in, any other
 * forgotten (its sessions end and it needs a second factor again); and "sign out
 * everywhere", this phone included, after a confirmation.
 */
import { useState } from 'preact/hooks';
import { useAction } from '../action.js';
import { api } from '../api.js';
import { deviceLabel } from '../device.js';
import { useLocale } from '../i18n/i18n.js';
import { sessionEnded } from '../session.js';
import { ErrorAlert } from '../ui/form.js';
import type { DeviceView, SessionView } from './contract.js';
import { formatWhen } from './format.js';
import type { SecurityData } from './security.js';

interface SectionProps { data: SecurityData; onChanged(): Promise<void>; onSignedOut(): void }

function sessionName(s: SessionView, devices: DeviceView[]): string {
  const device = devices.find((d) => d.id === s.deviceId);
  if (device) return device.label;
  return s.userAgent ? deviceLabel(s.userAgent) : '—';
}

export function SessionsSection({ data, onChanged, onSignedOut }: SectionProps) {
  const { t, locale } = useLocale();
  const action = useAction();
  const [done, setDone] = useState<string>();
  const [confirmAll, setConfirmAll] = useState(false);

  const act = (fn: () => Promise<void>) => action.run(async () => {
    setDone(undefined);
    try {
      await fn();
    } catch (err) {
      if (sessionEnded(err)) return onSignedOut();
      throw err;
    }
  });
  const signOut = (s: SessionView, name: string) => act(async () => {
    await api('DELETE', `/v1/me/sessions/${encodeURIComponent(s.id)}`);
    setDone(t('sessions.signedOutOne', { name }));
    await onChanged();
  });
  const forget = (d: DeviceView) => act(async () => {
    await api('DELETE', `/v1/me/devices/${encodeURIComponent(d.id)}`);
    setDone(t('devices.forgotten', { name: d.label }));
    await onChanged();
  });
  const signOutEverywhere = () => act(async () => {
    await api('POST', '/v1/me/sessions/revoke-all');
    onSignedOut();
  });

  return (
    <section class="panel" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">{t('sessions.title')}</h2>
      <p class="hint">{t('sessions.why')}</p>
      <ul class="items" data-testid="sessions">
        {data.sessions.map((s) => {
          const name = sessionName(s, data.devices);
          return (
            <li key={s.id} data-testid="session">
              <div class="what">
                <strong>{name}{s.current && <span class="badge">{t('sessions.thisDevice')}</span>}</strong>
                <span>{t('sessions.lastActive', { when: formatWhen(s.lastSeenAt, locale) })}</span>
                {s.ip && <span>{t('sessions.ip', { ip: s.ip })}</span>}
              </div>
              {!s.current && (
                <button class="small" type="button" disabled={action.busy} onClick={() => signOut(s, name)}
                  aria-label={t('sessions.signOutNamed', { name })}>{t('sessions.signOut')}</button>
              )}
            </li>
          );
        })}
      </ul>

      <h3>{t('devices.title')}</h3>
      <p class="hint">{t('devices.why')}</p>
      <ul class="items" data-testid="devices">
        {data.devices.map((d) => (
          <li key={d.id} data-testid="device">
            <div class="what">
              <strong>{d.label}{d.current && <span class="badge">{t('sessions.thisDevice')}</span>}</strong>
              <span>{t('devices.since', { when: formatWhen(d.createdAt, locale) })}</span>
              <span>{t('sessions.lastActive', { when: formatWhen(d.lastSeenAt, locale) })}</span>
            </div>
            {!d.current && (
              <button class="small" type="button" disabled={action.busy} onClick={() => forget(d)}
                aria-label={t('devices.forgetNamed', { name: d.label })}>{t('devices.forget')}</button>
            )}
          </li>
        ))}
      </ul>

      <ErrorAlert message={action.message} />
      {done && <p class="note" role="status">{done}</p>}
      {confirmAll
        ? (
          <div class="confirm">
            <p class="why">{t('sessions.everywhere.confirm')}</p>
            <button class="danger" type="button" disabled={action.busy} onClick={signOutEverywhere}>{t('sessions.everywhere.yes')}</button>
            <button class="link" type="button" onClick={() => setConfirmAll(false)}>{t('action.cancel')}</button>
          </div>
        )
        : <button class="secondary" type="button" onClick={() => setConfirmAll(true)}>{t('sessions.everywhere')}</button>}
    </section>
  );
}
