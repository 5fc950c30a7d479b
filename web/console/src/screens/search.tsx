/** Find a customer by an exact e-mail address, mobile number or id (the server does no partial matching). */
import { useState } from 'preact/hooks';
import { useAction } from '../action.js';
import { api } from '../api.js';
import type { SearchAnswer } from '../contract.js';
import { formatTime } from '../format.js';
import { useLocale } from '../i18n/i18n.js';
import { Layout } from '../layout.js';
import { InputError } from '../problems.js';
import { hrefOf, navigate } from '../router.js';
import { ErrorAlert, Field, Form, Submit, Table } from '../ui.js';

export function SearchScreen() {
  const { t } = useLocale();
  const action = useAction();
  const [q, setQ] = useState('');
  const [found, setFound] = useState<SearchAnswer['customers']>();

  const submit = () => action.run(async () => {
    setFound(undefined);
    if (!q.trim()) throw new InputError('search.empty');
    const r = await api<SearchAnswer>('POST', '/ops/v1/customers/search', { q: q.trim() });
    if (r.customers.length === 1) navigate({ name: 'customer', id: r.customers[0]!.id });
    else setFound(r.customers);
  });

  return (
    <Layout title={t('search.title')} section="customers">
      <Form onSubmit={submit} busy={action.busy}>
        <Field label={t('search.query')} hint={t('search.query.hint')} name="q" value={q} onValue={setQ} focus />
        <ErrorAlert message={action.message} />
        <Submit label={t('search.submit')} busy={action.busy} />
      </Form>
      {found && (
        <Table
          caption={t('search.results')} empty={t('search.none')} testId="results"
          head={[t('customer.email'), t('customer.phone'), t('customer.state'), t('customer.created')]}
          rows={found.map((c) => [
            <a href={hrefOf({ name: 'customer', id: c.id })} aria-label={t('search.open', { email: c.email })} onClick={(e) => {
              e.preventDefault();
              navigate({ name: 'customer', id: c.id });
            }}>{c.email}</a>,
            c.phone, c.frozen ? t('customer.state.frozen', { at: '' }) : t('customer.state.active'), formatTime(c.createdAt),
          ])}
        />
      )}
    </Layout>
  );
}
