/**
 * Reporting unauthorised use (OPS-3): the customer ticks the payments they did not make
 * from their recent history and says what happened; the report becomes a case for an
 * analyst (`POST /v1/me/claims`). Only payments are offered: the API refuses anything else.
 */
import { useEffect, useId, useState } from 'preact/hooks';
import type { History, Movement } from '../../../shared/contract.js';
import { useAction } from '../action.js';
import { api } from '../api.js';
import { useLocale } from '../i18n/i18n.js';
import { formatYen } from '../money.js';
import { InputError } from '../problems.js';
import { sessionEnded } from '../session.js';
import { ErrorAlert, Form, Submit } from '../ui/form.js';
import { Layout } from '../ui/layout.js';
import { BackHome } from '../ui/nav.js';

interface Filed { claimId: string; amount: number }

export function ClaimScreen({ onSignedOut }: { onSignedOut(): void }) {
  const { t, locale } = useLocale();
  const load = useAction();
  const send = useAction();
  const describeId = useId();
  const [payments, setPayments] = useState<Movement[]>();
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [description, setDescription] = useState('');
  const [filed, setFiled] = useState<Filed>();
  const when = new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' });

  useEffect(() => {
    void load.run(async () => {
      try {
        const page = await api<History>('GET', '/v1/wallet/history?kind=payment&limit=50');
        setPayments(page.movements.filter((m) => m.status === 'posted'));
      } catch (err) {
        if (sessionEnded(err)) return onSignedOut();
        throw err;
      }
    });
  }, []);

  const toggle = (id: string) => {
    const next = new Set(picked);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setPicked(next);
  };
  const submit = () => send.run(async () => {
    if (picked.size === 0) throw new InputError('claim.pick.empty');
    if (!description.trim()) throw new InputError('claim.describe.empty');
    setFiled(await api<Filed>('POST', '/v1/me/claims', { movementIds: [...picked], description: description.trim() }));
  });

  return (
    <Layout title={t('claim.title')}>
      <p>{t('claim.why')}</p>
      <p class="hint">{t('claim.first')}</p>
      <ErrorAlert message={load.message} />
      {!payments && !load.message && <p role="status">{t('claim.loading')}</p>}
      {filed
        ? <p role="status" class="done" data-testid="claim-sent">{t('claim.sent', { id: filed.claimId, amount: formatYen(filed.amount) })}</p>
        : payments && (payments.length === 0 ? <p>{t('claim.none')}</p> : (
          <Form onSubmit={submit} busy={send.busy}>
            <fieldset class="claim-payments">
              <legend>{t('claim.pick')}</legend>
              {payments.map((m) => (
                <label key={m.id} class="claim-payment">
                  <input type="checkbox" name="movement" value={m.id} checked={picked.has(m.id)} onChange={() => toggle(m.id)} />
                  <span>{m.description ?? t('movement.payment')} · {when.format(new Date(m.createdAt))} · {formatYen(m.amount)}</span>
                </label>
              ))}
            </fieldset>
            <div class="field">
              <label for={describeId}>{t('claim.describe')}</label>
              <textarea id={describeId} name="description" rows={4} maxLength={2000} value={description} aria-describedby={`${describeId}-hint`}
                onInput={(e) => setDescription(e.currentTarget.value)} />
              <p id={`${describeId}-hint`} class="hint">{t('claim.describe.hint')}</p>
            </div>
            <ErrorAlert message={send.message} />
            <Submit label={t('claim.submit')} busy={send.busy} />
          </Form>
        ))}
      <BackHome />
    </Layout>
  );
}
