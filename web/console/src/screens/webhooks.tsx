/** A merchant's webhook deliveries (PAY-3): status and attempts, newest first, and a replay per event. */
import { useEffect, useState } from 'preact/hooks';
import { useAction } from '../action.js';
import { api } from '../api.js';
import type { Deliveries, Delivery, Merchants, Replayed } from '../contract.js';
import { formatTime } from '../format.js';
import { useLocale } from '../i18n/i18n.js';
import { Layout } from '../layout.js';
import { Done, ErrorAlert, Table } from '../ui.js';

export function WebhooksScreen() {
  const { t } = useLocale();
  const load = useAction();
  const replay = useAction();
  const [merchants, setMerchants] = useState<Merchants['merchants']>();
  const [merchantId, setMerchantId] = useState('');
  const [deliveries, setDeliveries] = useState<Delivery[]>();
  const [done, setDone] = useState<string>();

  useEffect(() => {
    void load.run(async () => setMerchants((await api<Merchants>('GET', '/ops/v1/merchants')).merchants));
  }, []);
  const show = (id: string) => load.run(async () => {
    setMerchantId(id);
    setDeliveries(undefined);
    if (!id) return;
    setDeliveries((await api<Deliveries>('GET', `/ops/v1/merchants/${id}/webhook-deliveries?limit=100`)).deliveries);
  });
  const send = (eventId: string) => replay.run(async () => {
    setDone(undefined);
    const r = await api<Replayed>('POST', `/ops/v1/webhooks/events/${eventId}/replay`);
    setDone(t('webhooks.replayed', { event: r.eventId, count: r.endpoints }));
    await show(merchantId);
  });
  // One replay button per event, on its newest row: a replay resends the event, not one attempt.
  const seen = new Set<string>();

  return (
    <Layout title={t('webhooks.title')} section="webhooks">
      <div class="field narrow">
        <label for="merchant">{t('webhooks.merchant')}</label>
        <select id="merchant" value={merchantId} onChange={(e) => void show(e.currentTarget.value)}>
          <option value="">{t('webhooks.pick')}</option>
          {merchants?.map((m) => <option key={m.id} value={m.id}>{m.name} ({m.id})</option>)}
        </select>
      </div>
      <ErrorAlert message={load.message ?? replay.message} />
      <Done message={done} testId="replay-done" />
      {deliveries && (
        <>
          <div class="row"><button type="button" class="secondary" onClick={() => void show(merchantId)}>{t('webhooks.refresh')}</button></div>
          <Table
            caption={t('webhooks.table')} empty={t('webhooks.none')} testId="deliveries"
            head={[t('webhooks.at'), t('webhooks.event'), t('webhooks.type'), t('webhooks.url'), t('webhooks.attempt'), t('webhooks.outcome'), t('webhooks.http'), '']}
            rows={deliveries.map((d) => {
              const first = !seen.has(d.eventId);
              seen.add(d.eventId);
              return [
                formatTime(d.at), <code>{d.eventId}</code>, d.eventType, <span class="url">{d.url}</span>, String(d.attempt),
                <span class={d.outcome === 'delivered' ? 'badge ok' : 'badge bad'}>{d.outcome}</span>, d.httpStatus ?? '—',
                first
                  ? <button type="button" class="link" disabled={replay.busy} aria-label={t('webhooks.replay', { event: d.eventId })} onClick={() => void send(d.eventId)}>{t('webhooks.replayShort')}</button>
                  : '',
              ];
            })}
          />
        </>
      )}
    </Layout>
  );
}
