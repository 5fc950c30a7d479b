/**
 * One case, as an analyst needs it to decide: what was held or claimed and why (the
 * evidence as a table), the disputed movements and the customer's recent ones, what was
 * decided or paid, and the decision panel.
 */
import { useEffect, useState } from 'preact/hooks';
import { useAction } from '../action.js';
import { api } from '../api.js';
import type { CaseDetail } from '../contract.js';
import { formatTime, formatYen } from '../format.js';
import { useLocale } from '../i18n/i18n.js';
import { Layout } from '../layout.js';
import { navigate } from '../router.js';
import { ErrorAlert, Facts, Table } from '../ui.js';
import { DecidePanel } from './decide-panel.js';
import { Evidence } from './evidence.js';

export function CaseScreen({ id }: { id: string }) {
  const { t } = useLocale();
  const load = useAction();
  const [detail, setDetail] = useState<CaseDetail>();
  const reload = () => load.run(async () => setDetail(await api<CaseDetail>('GET', `/ops/v1/cases/${id}`)));
  useEffect(() => {
    void reload();
  }, [id]);

  const back = <button type="button" class="link" onClick={() => navigate({ name: 'cases' })}>{t('case.back')}</button>;
  if (!detail) {
    return (
      <Layout title={t('customer.loading')} section="cases">
        {back}
        <ErrorAlert message={load.message} />
      </Layout>
    );
  }
  const c = detail.case;
  const none = t('customer.none');
  const movementRow = (m: { createdAt: string; kind: string; amount: number; description: string | null }) => [
    formatTime(m.createdAt), <code>{m.kind}</code>, <span class={m.amount < 0 ? 'amount-out' : 'amount-in'}>{formatYen(m.amount)}</span>, m.description ?? '—',
  ];

  return (
    <Layout title={t('case.title', { id: c.id })} section="cases">
      {back}
      <div class="columns">
        <section aria-labelledby="facts">
          <h2 id="facts">{t('case.facts')}</h2>
          <Facts rows={[
            [t('cases.kind'), t(`kind.${c.kind}`)],
            [t('cases.status'), <span class={c.status === 'open' ? 'badge bad' : 'badge ok'}>{t(`status.${c.status}`)}</span>, 'case-status'],
            [t('cases.customer'), detail.customer
              ? <a href={`/console/customers/${c.customerId}`} onClick={(e) => { e.preventDefault(); navigate({ name: 'customer', id: c.customerId }); }}>{detail.customer.email}</a>
              : <code>{c.customerId}</code>],
            [t('cases.subject'), c.subject ? <span>{c.subject.type} <code>{c.subject.id}</code></span> : '—'],
            [t('cases.created'), formatTime(c.createdAt)],
            [t('cases.assigned'), c.assignedTo ?? '—', 'case-assigned'],
            ...(c.decidedAt ? [[t('case.decided', { who: c.decidedBy ?? '—', at: formatTime(c.decidedAt) }), c.decisionReason ?? '—'] as [string, string]] : []),
            ...(c.approvalId ? [[t('case.approval', { id: c.approvalId }), '—'] as [string, string]] : []),
            ...(detail.compensation ? [[t('case.compensation'), t('case.compensation.facts', {
              amount: formatYen(detail.compensation.amount), who: detail.compensation.paidBy, at: formatTime(detail.compensation.paidAt), transfer: detail.compensation.transferId,
            })] as [string, string]] : []),
          ]} />
        </section>
        <Evidence detail={detail} />
        <DecidePanel detail={detail} onChanged={reload} />
      </div>
      {c.kind === 'claim' && (
        <Table
          caption={t('case.disputed', { total: formatYen(detail.disputedTotal) })} empty={none} testId="disputed"
          head={[t('col.when'), t('col.kind'), t('col.amount'), t('col.description')]}
          rows={detail.disputed.map((m) => movementRow({ ...m, amount: -m.amount }))}
        />
      )}
      <Table
        caption={t('case.recent')} empty={none} testId="recent"
        head={[t('col.when'), t('col.kind'), t('col.amount'), t('col.description')]}
        rows={detail.recentMovements.map(movementRow)}
      />
    </Layout>
  );
}
