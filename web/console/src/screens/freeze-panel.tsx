/**
 * Freeze or unfreeze, with a reason and a confirmation. Support may freeze (it protects
 * the customer) but not unfreeze; the server enforces the same (src/ops/http/roles.ts).
 * An unfreeze usually becomes a request for a second operator (202, OPS-2): the panel
 * then says who asked, and the Approvals screen decides.
 */
import { useState } from 'preact/hooks';
import { useAction } from '../action.js';
import { api } from '../api.js';
import type { CustomerDetail, FreezeAnswer, UnfreezeRequested } from '../contract.js';
import { formatTime } from '../format.js';
import { useLocale } from '../i18n/i18n.js';
import { InputError } from '../problems.js';
import { useSession } from '../session.js';
import { Confirm, Done, ErrorAlert, Form, ReasonField } from '../ui.js';

export function FreezePanel({ customer, onChanged }: { customer: CustomerDetail; onChanged(): Promise<void> }) {
  const { t } = useLocale();
  const session = useSession();
  const action = useAction();
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState<string>();
  const p = customer.profile;
  const frozen = !!p.frozenAt;
  const verb = frozen ? 'unfreeze' : 'freeze';
  const pending = frozen ? customer.pendingUnfreeze : null;

  const ask = () => action.run(async () => {
    setDone(undefined);
    if (reason.trim().length < 3) throw new InputError('reason.short');
    setConfirming(true);
  });
  const act = () => action.run(async () => {
    setConfirming(false);
    if (frozen) {
      const r = await api<UnfreezeRequested | { frozen: false }>('POST', `/ops/v1/customers/${p.id}/unfreeze`, { reason: reason.trim() });
      setDone(t(r.frozen ? 'unfreeze.requested' : 'unfreeze.done'));
    } else {
      const r = await api<FreezeAnswer>('POST', `/ops/v1/customers/${p.id}/freeze`, { reason: reason.trim() });
      setDone(t('freeze.done', { count: r.sessionsRevoked }));
    }
    setReason('');
    await onChanged();
  });

  return (
    <section aria-labelledby="freeze" class={frozen ? 'action' : 'action warn'}>
      <h2 id="freeze">{t(`${verb}.title`)}</h2>
      <p class="hint">{t(`${verb}.why`)}</p>
      {pending && (
        <p class="notice" data-testid="unfreeze-pending">
          {t('approvals.pendingUnfreeze', { name: pending.requestedByName ?? pending.requestedBy, at: formatTime(pending.requestedAt) })}
        </p>
      )}
      {pending ? null : frozen && !session.canChangeSwitches
        ? <p class="notice">{t('unfreeze.role')}</p>
        : (
          <Form onSubmit={ask} busy={action.busy}>
            <ReasonField label={t('freeze.reason')} hint={t('freeze.reason.hint')} value={reason} onValue={setReason} />
            {!confirming && <button type="submit" class={frozen ? 'primary' : 'danger'} disabled={action.busy}>{t(`${verb}.submit`)}</button>}
          </Form>
        )}
      {confirming && (
        <Confirm
          question={t(`${verb}.confirm`, { email: p.email })} yes={t(`${verb}.yes`)} danger={!frozen}
          busy={action.busy} onYes={() => void act()} onCancel={() => setConfirming(false)}
        />
      )}
      <ErrorAlert message={action.message} />
      <Done message={done} testId="freeze-done" />
    </section>
  );
}
