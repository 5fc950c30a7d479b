/**
 * External IDs (ID-12): sign-in with another service's account (OpenID Connect), linked
 * and unlinked here. Both need a recent sign-in (the password in place when older than 5
 * minutes). Linking opens the provider in this browser; its callback brings the customer
 * back here with the outcome. Hidden when no provider is configured.
 */
import { useEffect, useState } from 'preact/hooks';
import { useAction } from '../action.js';
import { api } from '../api.js';
import { useLocale } from '../i18n/i18n.js';
import { ErrorAlert } from '../ui/form.js';
import type { ExternalIdentities, LinkStarted } from './contract.js';
import { formatWhen } from './format.js';
import { takeOidcReturn } from './oidc-return.js';
import { useReauth } from './reauth.js';

type Provider = ExternalIdentities['providers'][number];

export function ExternalIdsSection({ onSignedOut }: { onSignedOut(): void }) {
  const { t, locale } = useLocale();
  const action = useAction();
  const reauth = useReauth(action, onSignedOut);
  const [providers, setProviders] = useState<Provider[]>([]);
  const [done, setDone] = useState<string>();

  const reload = async () => setProviders((await api<ExternalIdentities>('GET', '/v1/me/external-identities')).providers);
  useEffect(() => {
    const back = takeOidcReturn();
    void action.run(async () => {
      const list = (await api<ExternalIdentities>('GET', '/v1/me/external-identities')).providers;
      setProviders(list);
      if (back?.kind === 'linked') setDone(t('external.linkedNow', { label: list.find((p) => p.name === back.provider)?.label ?? back.provider }));
      if (back?.kind === 'error') throw back.error;
    });
  }, []);

  const link = (p: Provider) => action.run(() => reauth.guard(async () => {
    const { authorizationUrl } = await api<LinkStarted>('POST', `/v1/me/external-identities/${encodeURIComponent(p.name)}`);
    location.assign(authorizationUrl);
  }));
  const unlink = (p: Provider) => action.run(() => reauth.guard(async () => {
    setDone(undefined);
    await api('DELETE', `/v1/me/external-identities/${encodeURIComponent(p.name)}`);
    setDone(t('external.unlinkedNow', { label: p.label }));
    await reload();
  }));

  if (providers.length === 0 && !action.message) return null;
  return (
    <section class="panel" aria-labelledby="external-heading" data-testid="external-ids">
      <h2 id="external-heading">{t('external.title')}</h2>
      <p class="hint">{t('external.why')}</p>
      <ul class="items">
        {providers.map((p) => (
          <li key={p.name}>
            <div class="what">
              <strong>{p.label}</strong>
              <span>{p.linked ? t('external.linked', { email: p.linked.email ?? '-', when: formatWhen(p.linked.linkedAt, locale) }) : t('external.notLinked')}</span>
            </div>
            {p.linked
              ? <button class="small" type="button" disabled={action.busy} onClick={() => unlink(p)}>{t('external.unlink', { label: p.label })}</button>
              : <button class="small" type="button" disabled={action.busy} onClick={() => link(p)}>{t('external.link', { label: p.label })}</button>}
          </li>
        ))}
      </ul>
      {reauth.panel}
      <ErrorAlert message={action.message} />
      {done && <p class="note" role="status">{done}</p>}
    </section>
  );
}
