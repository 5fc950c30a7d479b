/**
 * History (WAL-6): the wallet's movements newest first, a page at a time by the API's
 * cursor, filtered by kind and by days; the same filters download as CSV (a plain link:
 * the session cookie goes with it and the server names the file).
 */
import { useEffect, useState } from 'preact/hooks';
import type { History, Movement } from '../../../shared/contract.js';
import { useAction } from '../action.js';
import { api } from '../api.js';
import { filterParams, KIND_GROUPS, type Filter, type KindGroup } from '../history/query.js';
import { MovementList } from '../history/movement-list.js';
import { useLocale } from '../i18n/i18n.js';
import { sessionEnded } from '../session.js';
import { ErrorAlert, Form, Submit } from '../ui/form.js';
import { Layout } from '../ui/layout.js';
import { BackHome, Link } from '../ui/nav.js';

const PAGE = 20;

export function HistoryScreen({ onSignedOut }: { onSignedOut(): void }) {
  const { t } = useLocale();
  const load = useAction();
  const [draft, setDraft] = useState<Filter>({ kind: 'all', from: '', to: '' });
  const [applied, setApplied] = useState<Filter>(draft);
  const [movements, setMovements] = useState<Movement[]>();
  const [next, setNext] = useState<string | null>(null);

  const fetchPage = (cursor: string | null) => load.run(async () => {
    const p = filterParams(applied);
    p.set('limit', String(PAGE));
    if (cursor) p.set('cursor', cursor);
    try {
      const page = await api<History>('GET', `/v1/wallet/history?${p}`);
      setMovements((shown) => [...(cursor && shown ? shown : []), ...page.movements]);
      setNext(page.nextCursor);
    } catch (err) {
      if (sessionEnded(err)) return onSignedOut();
      throw err;
    }
  });
  useEffect(() => {
    void fetchPage(null);
  }, [applied]);

  const set = (patch: Partial<Filter>) => setDraft({ ...draft, ...patch });
  const csv = `/v1/wallet/history.csv?${filterParams(applied)}`;
  return (
    <Layout title={t('history.title')}>
      <Form onSubmit={() => setApplied(draft)} busy={load.busy}>
        <div class="filters">
          <div class="field">
            <label for="history-kind">{t('history.kind')}</label>
            <select id="history-kind" value={draft.kind} onChange={(e) => set({ kind: e.currentTarget.value as KindGroup })}>
              {KIND_GROUPS.map((k) => <option key={k} value={k}>{t(`history.kind.${k}`)}</option>)}
            </select>
          </div>
          <div class="field">
            <label for="history-from">{t('history.from')}</label>
            <input id="history-from" type="date" value={draft.from} max={draft.to || undefined} onInput={(e) => set({ from: e.currentTarget.value })} />
          </div>
          <div class="field">
            <label for="history-to">{t('history.to')}</label>
            <input id="history-to" type="date" value={draft.to} min={draft.from || undefined} onInput={(e) => set({ to: e.currentTarget.value })} />
          </div>
        </div>
        <Submit label={t('history.apply')} busy={load.busy} />
      </Form>
      <ErrorAlert message={load.message} />
      {!movements && !load.message && <p role="status">{t('history.loading')}</p>}
      {movements && (movements.length ? <MovementList movements={movements} /> : <p>{t('history.empty')}</p>)}
      {next && <button class="secondary" type="button" disabled={load.busy} onClick={() => void fetchPage(next)}>{t('history.more')}</button>}
      <p class="download">
        <a href={csv} download aria-describedby="csv-hint">{t('history.csv')}</a>
        <span id="csv-hint" class="hint">{t('history.csv.hint')}</span>
      </p>
      <p class="claim-link"><Link to="claim">{t('claim.link')}</Link></p>
      <BackHome />
    </Layout>
  );
}
