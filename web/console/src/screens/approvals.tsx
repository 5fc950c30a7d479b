/**
 * The queue of requests waiting for a second operator (OPS-2). The requester sees their
 * own request but can only withdraw it; the server refuses a self-approval and a role the
 * request's kind does not allow (src/ops/approvals/), so the buttons are a convenience.
 */
import { useEffect, useState } from 'preact/hooks';
import { useAction } from '../action.js';
import { api } from '../api.js';
import type { Approval, Approvals } from '../contract.js';
import { formatTime, formatYen } from '../format.js';
import { useLocale } from '../i18n/i18n.js';
import { Layout } from '../layout.js';
import { navigate } from '../router.js';
import { useSession } from '../session.js';
import { Done, ErrorAlert, Table } from '../ui.js';

const REJECT_REASON_MIN = 3;

export function ApprovalsScreen() {
  const { t } = useLocale();
  const session = useSession();
  const load = useAction();
  const act = useAction();
  const [list, setList] = useState<Approval[]>();
  const [done, setDone] = useState<string>();

  const reload = () => load.run(async () => {
    setList((await api<Approvals>('GET', '/ops/v1/approvals?status=pending')).approvals);
  });
  useEffect(() => {
    void reload();
  }, []);

  const decide = (a: Approval, how: 'approve' | 'reject') => act.run(async () => {
    setDone(undefined);
    let body: object = {};
    if (how === 'reject') {
      const reason = prompt(t('approvals.rejectReason'))?.trim() ?? '';
      if (reason.length < REJECT_REASON_MIN) return;
      body = { reason };
    }
    await api<Approval>('POST', `/ops/v1/approvals/${a.id}/${how}`, body);
    setDone(t(how === 'approve' ? 'approvals.approved' : 'approvals.rejected'));
    await reload();
  });

  const subject = (a: Approval) => Object.entries(a.subjectIds).map(([k, v]) => k === 'customerId'
    ? <a key={k} href={`/console/customers/${v}`} onClick={(e) => { e.preventDefault(); navigate({ name: 'customer', id: v }); }}><code>{v}</code></a>
    : <code key={k}>{v}</code>);
  const kindName = (kind: string) => {
    const key = `approval.kind.${kind}`;
    const text = t(key as Parameters<typeof t>[0]);
    return text === key ? kind : text;
  };

  return (
    <Layout title={t('approvals.title')} section="approvals">
      <p class="why">{t('approvals.why')}</p>
      <div class="row filters">
        <button type="button" class="secondary" onClick={() => void reload()}>{t('approvals.refresh')}</button>
      </div>
      <ErrorAlert message={load.message ?? act.message} />
      <Done message={done} testId="approval-done" />
      {list && (
        <Table
          caption={t('approvals.table')} empty={t('approvals.none')} testId="approvals"
          head={[t('approvals.requested'), t('approvals.kind'), t('approvals.subject'), t('approvals.amount'), t('approvals.by'), t('approvals.reason'), '']}
          rows={list.map((a) => {
            const mine = a.requestedBy === session.operator.id;
            return [
              formatTime(a.requestedAt), kindName(a.kind), subject(a), a.amount === null ? '—' : formatYen(a.amount),
              a.requestedByName ?? a.requestedBy, a.reason,
              <span class="row">
                {mine
                  ? <span class="hint">{t('approvals.yours')}</span>
                  : <button type="button" class="primary" disabled={act.busy} onClick={() => void decide(a, 'approve')}>{t('approvals.approve')}</button>}
                <button type="button" class="secondary" disabled={act.busy} onClick={() => void decide(a, 'reject')}>{t(mine ? 'approvals.withdraw' : 'approvals.reject')}</button>
              </span>,
            ];
          })}
        />
      )}
    </Layout>
  );
}
