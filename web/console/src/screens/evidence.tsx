/**
 * A case's evidence as a readable table: the risk decision's signals flattened to one row
 * each (`signals.topupsLastHour` → 6), the claim's words as a quotation. Values are shown
 * as text, never as markup: evidence may hold what a customer typed.
 */
import type { CaseDetail } from '../contract.js';
import { useLocale } from '../i18n/i18n.js';
import { Table } from '../ui.js';

function flatten(value: unknown, path: string, out: [string, string][]): [string, string][] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) flatten(v, path ? `${path}.${k}` : k, out);
  } else if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)) {
    out.push([path, value.join(', ')]);
  } else {
    out.push([path, typeof value === 'string' ? value : JSON.stringify(value)]);
  }
  return out;
}

export function Evidence({ detail }: { detail: CaseDetail }) {
  const { t } = useLocale();
  const c = detail.case;
  const { description, ...rest } = c.evidence as { description?: unknown } & Record<string, unknown>;
  // A claim's movements are listed in their own table; the signals are the rest.
  const signals = flatten(c.kind === 'claim' ? { ...rest, movements: undefined, amount: undefined } : c.evidence, '', [])
    .filter(([, v]) => v !== undefined && v !== 'undefined');
  return (
    <section aria-labelledby="evidence">
      <h2 id="evidence">{t('case.evidence')}</h2>
      <ul class="reasons" aria-label={t('cases.reasons')}>{c.reasons.map((r) => <li key={r}><code>{r}</code></li>)}</ul>
      {typeof description === 'string' && (
        <figure class="claim-text">
          <figcaption>{t('case.claimText')}</figcaption>
          <blockquote data-testid="claim-text">{description}</blockquote>
        </figure>
      )}
      <Table
        caption={t('case.signals')} empty={t('case.noEvidence')} testId="evidence"
        head={[t('case.signal'), t('case.value')]}
        rows={signals.map(([k, v]) => [<code>{k}</code>, v])}
      />
    </section>
  );
}
