/**
 * The case queue (RISK-2, OPS-3): held items, flags and claims, oldest first, filtered by
 * status and kind; and the compensation paid per month (OPS-3's figures).
 */
import { useEffect, useState } from 'preact/hooks';
import { useAction } from '../action.js';
import { api } from '../api.js';
import type { Case, CaseList, CompensationMonthly } from '../contract.js';
import { formatTime, formatYen } from '../format.js';
import { useLocale } from '../i18n/i18n.js';
import { Layout } from '../layout.js';
import { navigate } from '../router.js';
import { ErrorAlert, Table } from '../ui.js';

const STATUSES = ['open', 'approved', 'rejected', 'closed'] as const;
const KINDS = ['risk_hold', 'risk_flag', 'claim'] as const;

export function CasesScreen() {
  const { t } = useLocale();
  const load = useAction();
  const [status, setStatus] = useState<string>('open');
  const [kind, setKind] = useState<string>('');
  const [cases, setCases] = useState<Case[]>();
  const [monthly, setMonthly] = useState<CompensationMonthly['months']>();

  const reload = (s = status, k = kind) => load.run(async () => {
    const query = new URLSearchParams({ ...(s ? { status: s } : {}), ...(k ? { kind: k } : {}) });
    const [list, months] = await Promise.all([
      api<CaseList>('GET', `/ops/v1/cases?${query.toString()}`),
      api<CompensationMonthly>('GET', '/ops/v1/compensation/monthly?months=6'),
    ]);
    setCases(list.cases);
    setMonthly(months.months);
  });
  useEffect(() => {
    void reload();
  }, []);

  return (
    <Layout title={t('cases.title')} section="cases">
      <p class="why">{t('cases.why')}</p>
      <div class="row filters">
        <div class="field narrow">
          <label for="case-status">{t('cases.status')}</label>
          <select id="case-status" value={status} onChange={(e) => { setStatus(e.currentTarget.value); void reload(e.currentTarget.value, kind); }}>
            <option value="">{t('cases.any')}</option>
            {STATUSES.map((s) => <option key={s} value={s}>{t(`status.${s}`)}</option>)}
          </select>
        </div>
        <div class="field narrow">
          <label for="case-kind">{t('cases.kind')}</label>
          <select id="case-kind" value={kind} onChange={(e) => { setKind(e.currentTarget.value); void reload(status, e.currentTarget.value); }}>
            <option value="">{t('cases.any')}</option>
            {KINDS.map((k) => <option key={k} value={k}>{t(`kind.${k}`)}</option>)}
          </select>
        </div>
        <button type="button" class="secondary" onClick={() => void reload()}>{t('cases.refresh')}</button>
      </div>
      <ErrorAlert message={load.message} />
      {cases && (
        <Table
          caption={t('cases.table')} empty={t('cases.none')} testId="cases"
          head={[t('cases.created'), t('cases.kind'), t('cases.customer'), t('cases.subject'), t('cases.reasons'), t('cases.status'), t('cases.assigned')]}
          rows={cases.map((c) => [
            // The opening time is the link: one column less, and the row reads left to right.
            <a
              href={`/console/cases/${c.id}`} aria-label={t('cases.open', { at: formatTime(c.createdAt), id: c.id })}
              onClick={(e) => { e.preventDefault(); navigate({ name: 'case', id: c.id }); }}
            >{formatTime(c.createdAt)}</a>,
            t(`kind.${c.kind}`), <code>{c.customerId}</code>,
            c.subject ? <span>{c.subject.type} <code>{c.subject.id}</code></span> : '—',
            c.reasons.map((r) => <code key={r} class="reason">{r}</code>),
            <span class={c.status === 'open' ? 'badge bad' : 'badge ok'}>{t(`status.${c.status}`)}</span>,
            c.assignedTo ?? '—',
          ])}
        />
      )}
      {monthly && (
        <Table
          caption={t('monthly.title')} empty={t('cases.none')} testId="monthly"
          head={[t('monthly.month'), t('monthly.opened'), t('monthly.approved'), t('monthly.rejected'), t('monthly.paid')]}
          rows={monthly.map((m) => [m.month, String(m.opened), String(m.approved), String(m.rejected), formatYen(m.paid)])}
        />
      )}
    </Layout>
  );
}
