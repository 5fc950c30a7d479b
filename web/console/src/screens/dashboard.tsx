/**
 * The dashboard (OPS-4): payments and declines per hour over the last 24 hours as a chart,
 * then the same numbers as a table (the accessible alternative to the canvas), and the
 * declines by reason.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { useAction } from '../action.js';
import { api } from '../api.js';
import { HourlyChart } from '../chart.js';
import type { Dashboard } from '../contract.js';
import { formatHour, formatYen } from '../format.js';
import { useLocale } from '../i18n/i18n.js';
import { Layout } from '../layout.js';
import { ErrorAlert, Table } from '../ui.js';

export function DashboardScreen() {
  const { t } = useLocale();
  const load = useAction();
  const [d, setD] = useState<Dashboard>();
  const reload = () => load.run(async () => setD(await api<Dashboard>('GET', '/ops/v1/dashboard')));
  useEffect(() => {
    void reload();
  }, []);

  const hours = useMemo(() => d?.hours.map((h) => h.hour) ?? [], [d]);
  const series = useMemo(() => !d ? [] : [
    { label: t('dashboard.payments'), values: d.hours.map((h) => h.payments), color: '#0b5d3b', kind: 'bars' as const },
    { label: t('dashboard.declines'), values: d.hours.map((h) => h.declines), color: '#9b1c1c', kind: 'line' as const },
  ], [d, t]);
  // Risk outcomes as lines over the open cases' bars: a rising backlog under a burst of holds.
  const riskSeries = useMemo(() => !d ? [] : [
    { label: t('dashboard.risk.open'), values: d.hours.map((h) => h.openCases), color: '#5b6b7b', kind: 'bars' as const },
    { label: t('dashboard.risk.allow'), values: d.hours.map((h) => h.riskAllow), color: '#0b5d3b', kind: 'line' as const },
    { label: t('dashboard.risk.step_up'), values: d.hours.map((h) => h.riskStepUp), color: '#1a4fa0', kind: 'line' as const },
    { label: t('dashboard.risk.hold'), values: d.hours.map((h) => h.riskHold), color: '#8a5a00', kind: 'line' as const },
    { label: t('dashboard.risk.deny'), values: d.hours.map((h) => h.riskDeny), color: '#9b1c1c', kind: 'line' as const },
  ], [d, t]);
  const totals = d && t('dashboard.totals', { payments: d.totals.payments, amount: formatYen(d.totals.paymentsAmount), declines: d.totals.declines });

  return (
    <Layout title={t('dashboard.title')} section="dashboard">
      <p class="why">{t('dashboard.why')}</p>
      <ErrorAlert message={load.message} />
      {d && (
        <>
          <div class="row">
            <p class="totals" data-testid="totals">{totals}</p>
            <button type="button" class="secondary" onClick={() => void reload()}>{t('dashboard.refresh')}</button>
          </div>
          <section aria-labelledby="chart-title">
            <h2 id="chart-title">{t('dashboard.chart')}</h2>
            <ul class="legend">
              {series.map((s) => <li key={s.label}><span class={`swatch ${s.kind}`} aria-hidden="true" />{s.label}</li>)}
            </ul>
            <HourlyChart hours={hours} series={series} label={`${t('dashboard.chart')}: ${totals}`} />
          </section>
          <section aria-labelledby="risk-title">
            <h2 id="risk-title">{t('dashboard.risk.chart')}</h2>
            <ul class="legend">
              {riskSeries.map((s) => <li key={s.label}><span class={`swatch ${s.kind} risk-${riskSeries.indexOf(s)}`} aria-hidden="true" />{s.label}</li>)}
            </ul>
            <HourlyChart hours={hours} series={riskSeries} label={t('dashboard.risk.chart')} />
            <details class="hourly">
              <summary>{t('dashboard.risk.table')}</summary>
              <Table
                caption={t('dashboard.risk.chart')} empty={t('customer.none')} testId="risk-hourly"
                head={[t('dashboard.hour'), t('dashboard.risk.allow'), t('dashboard.risk.step_up'), t('dashboard.risk.hold'), t('dashboard.risk.deny'), t('dashboard.risk.open')]}
                rows={d.hours.map((h) => [formatHour(h.hour), String(h.riskAllow), String(h.riskStepUp), String(h.riskHold), String(h.riskDeny), String(h.openCases)])}
              />
            </details>
          </section>
          <div class="columns">
            <details class="hourly">
              <summary>{t('dashboard.table')}</summary>
              <Table
                caption={t('dashboard.chart')} empty={t('customer.none')} testId="hourly"
                head={[t('dashboard.hour'), t('dashboard.payments'), t('dashboard.amount'), t('dashboard.declines')]}
                rows={d.hours.map((h) => [formatHour(h.hour), String(h.payments), formatYen(h.paymentsAmount), String(h.declines)])}
              />
            </details>
            <Table
              caption={t('dashboard.reasons')} empty={t('customer.none')} testId="reasons"
              head={[t('dashboard.reason'), t('dashboard.count')]}
              rows={d.declinesByReason.map((r) => [<code>{r.reason}</code>, String(r.count)])}
            />
          </div>
        </>
      )}
    </Layout>
  );
}
