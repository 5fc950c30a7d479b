/**
 * One customer, as support needs them on the phone: profile and state, wallet, the
 * devices and sessions signed in, security events and movements; freeze and unfreeze
 * with a reason and a confirmation. Unfreezing is offered to risk and admin only.
 */
import { useEffect, useState } from 'preact/hooks';
import { useAction } from '../action.js';
import { api } from '../api.js';
import type { CustomerDetail } from '../contract.js';
import { formatTime, formatYen } from '../format.js';
import { useLocale } from '../i18n/i18n.js';
import { Layout } from '../layout.js';
import { navigate } from '../router.js';
import { ErrorAlert, Facts, Table } from '../ui.js';
import { FreezePanel } from './freeze-panel.js';

export function CustomerScreen({ id }: { id: string }) {
  const { t } = useLocale();
  const load = useAction();
  const [detail, setDetail] = useState<CustomerDetail>();
  const reload = () => load.run(async () => setDetail(await api<CustomerDetail>('GET', `/ops/v1/customers/${id}`)));
  useEffect(() => {
    void reload();
  }, [id]);

  const back = <button type="button" class="link" onClick={() => navigate({ name: 'customers' })}>{t('customer.back')}</button>;
  if (!detail) {
    return (
      <Layout title={t('customer.loading')} section="customers">
        {back}
        <ErrorAlert message={load.message} />
      </Layout>
    );
  }
  const p = detail.profile;
  const state = p.frozenAt
    ? t('customer.state.frozen', { at: formatTime(p.frozenAt) })
    : p.restrictedUntil ? t('customer.state.restricted', { at: formatTime(p.restrictedUntil) }) : t('customer.state.active');
  const none = t('customer.none');

  return (
    <Layout title={t('customer.title', { email: p.email })} section="customers">
      {back}
      <div class="columns">
        <section aria-labelledby="profile">
          <h2 id="profile">{t('customer.profile')}</h2>
          <Facts rows={[
            [t('customer.id'), <code>{p.id}</code>],
            [t('customer.phone'), p.phone],
            [t('customer.locale'), p.locale],
            [t('customer.created'), formatTime(p.createdAt)],
            [t('customer.state'), <span class={p.frozenAt ? 'badge bad' : 'badge ok'}>{state}</span>, 'state'],
            ...(p.frozenReason ? [[t('customer.frozenReason'), p.frozenReason] as [string, string]] : []),
          ]} />
        </section>
        <section aria-labelledby="wallet">
          <h2 id="wallet">{t('customer.wallet')}</h2>
          <Facts rows={[
            [t('customer.balance'), <span class="big">{formatYen(detail.wallet.balance)}</span>, 'balance'],
            [t('customer.available'), formatYen(detail.wallet.available)],
            [t('customer.pendingIn'), formatYen(detail.wallet.pendingIn)],
            [t('customer.payments24h'), formatYen(detail.wallet.remaining.payments24h)],
          ]} />
        </section>
        <FreezePanel customer={detail} onChanged={reload} />
      </div>

      <Table
        caption={t('customer.devices')} empty={none} testId="devices"
        head={[t('col.label'), t('col.created'), t('col.lastSeen')]}
        rows={detail.devices.map((d) => [d.label, formatTime(d.createdAt), formatTime(d.lastSeenAt)])}
      />
      <Table
        caption={t('customer.sessions')} empty={none} testId="sessions"
        head={[t('col.transport'), t('col.ip'), t('col.userAgent'), t('col.created'), t('col.lastSeen'), t('col.expires')]}
        rows={detail.sessions.map((s) => [s.transport, s.ip ?? '—', s.userAgent ?? '—', formatTime(s.createdAt), formatTime(s.lastSeenAt), formatTime(s.expiresAt)])}
      />
      <Table
        caption={t('customer.events')} empty={none} testId="events"
        head={[t('col.when'), t('col.kind'), t('col.ip'), t('col.details')]}
        rows={detail.events.map((e) => [formatTime(e.createdAt), <code>{e.kind}</code>, e.ip ?? '—', <code class="details">{JSON.stringify(e.details)}</code>])}
      />
      <Table
        caption={t('customer.movements')} empty={none} testId="movements"
        head={[t('col.when'), t('col.kind'), t('col.amount'), t('col.status'), t('col.description')]}
        rows={detail.movements.map((m) => [formatTime(m.createdAt), <code>{m.kind}</code>, <span class={m.amount < 0 ? 'amount-out' : 'amount-in'}>{formatYen(m.amount)}</span>, m.status, m.description ?? '—'])}
      />
    </Layout>
  );
}
