/**
 * Security settings: how the account confirms it is the customer (passkeys, authenticator
 * app, recovery codes, SMS), where it is signed in (sessions and remembered devices, with
 * "sign out everywhere"), and what happened lately, with a way to act on anything the
 * customer does not recognise; and the password. Everything is loaded together and
 * reloaded after a change.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Me } from '../../../shared/contract.js';
import { useAction } from '../action.js';
import { api } from '../api.js';
import { useLocale } from '../i18n/i18n.js';
import { sessionEnded } from '../session.js';
import { ErrorAlert } from '../ui/form.js';
import { Layout } from '../ui/layout.js';
import { BackHome } from '../ui/nav.js';
import type { DeviceView, Factors, SecurityEvent, SessionView } from './contract.js';
import { EventsSection } from './events-section.js';
import { ExternalIdsSection } from './external-ids-section.js';
import { FactorsSection } from './factors-section.js';
import { PasswordSection } from './password-section.js';
import { SessionsSection } from './sessions-section.js';
import './security.css';

export interface SecurityData {
  me: Me;
  factors: Factors;
  sessions: SessionView[];
  devices: DeviceView[];
  events: SecurityEvent[];
}

async function loadAll(): Promise<SecurityData> {
  const [me, factors, sessions, devices, events] = await Promise.all([
    api<Me>('GET', '/v1/me'),
    api<Factors>('GET', '/v1/me/factors'),
    api<{ sessions: SessionView[] }>('GET', '/v1/me/sessions'),
    api<{ devices: DeviceView[] }>('GET', '/v1/me/devices'),
    api<{ events: SecurityEvent[] }>('GET', '/v1/me/security-events?limit=20'),
  ]);
  return { me, factors, sessions: sessions.sessions, devices: devices.devices, events: events.events };
}

export function SecurityScreen({ onSignedOut }: { onSignedOut(): void }) {
  const { t } = useLocale();
  const load = useAction();
  const [data, setData] = useState<SecurityData>();

  const reload = () => load.run(async () => {
    try {
      setData(await loadAll());
    } catch (err) {
      if (sessionEnded(err)) return onSignedOut();
      throw err;
    }
  });
  useEffect(() => {
    void reload();
  }, []);

  return (
    <Layout title={t('security.title')}>
      {!data && !load.message && <p role="status">{t('security.loading')}</p>}
      <ErrorAlert message={load.message} />
      {data && (
        <>
          <FactorsSection data={data} onChanged={reload} onSignedOut={onSignedOut} />
          <PasswordSection onChanged={reload} onSignedOut={onSignedOut} />
          <ExternalIdsSection onSignedOut={onSignedOut} />
          <SessionsSection data={data} onChanged={reload} onSignedOut={onSignedOut} />
          <EventsSection data={data} onChanged={reload} onSignedOut={onSignedOut} />
        </>
      )}
      <BackHome />
    </Layout>
  );
}
