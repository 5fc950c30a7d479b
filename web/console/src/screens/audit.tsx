/**
 * The audit log (OPS-2, admins): newest entries first, with the chain's check on top. The
 * check walks the whole chain on the server (`GET /ops/v1/audit/verify`); the head hash
 * it shows is worth copying somewhere outside Konpay.
 */
import { useEffect, useState } from 'preact/hooks';
import { useAction } from '../action.js';
import { api } from '../api.js';
import type { AuditEntry, AuditLog, ChainStatus } from '../contract.js';
import { formatTime } from '../format.js';
import { useLocale } from '../i18n/i18n.js';
import { Layout } from '../layout.js';
import { useSession } from '../session.js';
import { ErrorAlert, Table } from '../ui.js';

export function AuditScreen() {
  const { t } = useLocale();
  const session = useSession();
  const load = useAction();
  // Undefined until the first page arrives: "no entries" must not show while loading.
  const [entries, setEntries] = useState<AuditEntry[]>();
  const [cursor, setCursor] = useState<number | null>(null);
  const [chain, setChain] = useState<ChainStatus>();

  const page = (before: number | null) => load.run(async () => {
    const r = await api<AuditLog>('GET', `/ops/v1/audit?limit=100${before === null ? '' : `&cursor=${before}`}`);
    setEntries((old) => (before === null ? r.entries : [...(old ?? []), ...r.entries]));
    setCursor(r.nextCursor);
  });
  useEffect(() => {
    if (session.operator.role !== 'admin') return;
    void page(null);
    void api<ChainStatus>('GET', '/ops/v1/audit/verify').then(setChain, () => undefined);
  }, []);

  if (session.operator.role !== 'admin') {
    return <Layout title={t('audit.title')} section="audit"><p class="notice">{t('audit.role')}</p></Layout>;
  }
  return (
    <Layout title={t('audit.title')} section="audit">
      <p class="why">{t('audit.why')}</p>
      <p class={chain ? (chain.intact ? 'notice ok' : 'alert') : 'hint'} role="status" data-testid="audit-chain">
        {!chain ? t('audit.checking') : chain.intact
          ? t('audit.intact', { count: chain.count, hash: chain.headHash ?? '' })
          : t('audit.broken', { seq: chain.brokenAt ?? 0, problem: chain.problem ?? '', detail: chain.detail ?? '' })}
      </p>
      <ErrorAlert message={load.message} />
      <Table
        caption={t('audit.table')} empty={entries ? t('audit.none') : t('audit.loading')} testId="audit" wide
        head={[t('audit.seq'), t('audit.at'), t('audit.who'), t('audit.action'), t('audit.ids'), t('audit.outcome')]}
        rows={(entries ?? []).map((e) => [
          String(e.seq), formatTime(e.at), <code>{e.who}</code>, <code>{e.action}</code>,
          Object.entries(e.ids).map(([k, v]) => <span key={k}>{k}=<code>{v}</code> </span>), e.outcome,
        ])}
      />
      {cursor !== null && <button type="button" class="secondary" disabled={load.busy} onClick={() => void page(cursor)}>{t('audit.more')}</button>}
    </Layout>
  );
}
