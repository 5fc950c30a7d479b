/**
 * Deciding a case: take it, choose approve or reject (close for a flag), a compensation
 * amount for a claim, a reason, then a confirmation. Offered to risk and admin only; the
 * server enforces the same (src/ops/http/roles.ts).
 */
import { useState } from 'preact/hooks';
import { useAction } from '../action.js';
import { api } from '../api.js';
import type { Case, CaseDecision, CaseDetail } from '../contract.js';
import { useLocale } from '../i18n/i18n.js';
import { InputError } from '../problems.js';
import { useSession } from '../session.js';
import { Confirm, Done, ErrorAlert, Field, Form, ReasonField } from '../ui.js';

type Decision = 'approved' | 'rejected' | 'closed';

export function DecidePanel({ detail, onChanged }: { detail: CaseDetail; onChanged(): Promise<void> }) {
  const { t } = useLocale();
  const session = useSession();
  const action = useAction();
  const c = detail.case;
  const [decision, setDecision] = useState<Decision>('approved');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState<string>();
  const choices: Decision[] = c.kind === 'risk_flag' ? ['approved', 'rejected', 'closed'] : ['approved', 'rejected'];
  const canDecide = session.operator.role !== 'support';

  const assign = () => action.run(async () => {
    await api<Case>('POST', `/ops/v1/cases/${c.id}/assign`, {});
    setDone(t('case.assigned'));
    await onChanged();
  });
  const ask = () => action.run(async () => {
    setDone(undefined);
    if (reason.trim().length < 3) throw new InputError('reason.short');
    if (amount.trim() && !/^\d+$/.test(amount.trim())) throw new InputError('decide.amount.invalid');
    setConfirming(true);
  });
  const act = () => action.run(async () => {
    setConfirming(false);
    const body = { decision, reason: reason.trim(), ...(c.kind === 'claim' && decision === 'approved' && amount.trim() ? { amount: Number(amount.trim()) } : {}) };
    const r = await api<CaseDecision>('POST', `/ops/v1/cases/${c.id}/decide`, body);
    setDone(r.outcome === 'approval_requested' ? t('decide.requested', { id: r.approvalId ?? '' }) : t('decide.done', { status: t(`status.${r.case.status}`) }));
    setReason('');
    await onChanged();
  });

  if (c.status !== 'open' && !done) return null;
  return (
    <section aria-labelledby="decide" class="action">
      <h2 id="decide">{t('decide.title')}</h2>
      <p class="hint">{t(c.kind === 'claim' ? 'decide.why.claim' : 'decide.why.hold')}</p>
      {!canDecide && <p class="notice">{t('decide.role')}</p>}
      {canDecide && c.status === 'open' && !c.approvalId && (
        <>
          {c.assignedTo !== session.operator.id && (
            <button type="button" class="secondary" disabled={action.busy} onClick={() => void assign()}>{t('case.assign')}</button>
          )}
          <Form onSubmit={ask} busy={action.busy}>
            <fieldset class="choices">
              <legend>{t('decide.decision')}</legend>
              {choices.map((d) => (
                <label key={d} class="choice">
                  <input type="radio" name="decision" value={d} checked={decision === d} onChange={() => setDecision(d)} />
                  {t(`decide.${d}`)}
                </label>
              ))}
            </fieldset>
            {c.kind === 'claim' && decision === 'approved' && (
              <Field label={t('decide.amount')} hint={t('decide.amount.hint')} name="amount" inputMode="numeric" value={amount} onValue={setAmount} />
            )}
            <ReasonField label={t('case.decisionReason')} hint={t('decide.reason.hint')} value={reason} onValue={setReason} />
            {!confirming && <button type="submit" class={decision === 'approved' ? 'primary' : 'danger'} disabled={action.busy}>{t('decide.submit')}</button>}
          </Form>
        </>
      )}
      {confirming && (
        <Confirm
          question={t('decide.confirm', { decision: t(`decide.${decision}`), id: c.id })} yes={t('decide.yes')} danger={decision !== 'approved'}
          busy={action.busy} onYes={() => void act()} onCancel={() => setConfirming(false)}
        />
      )}
      <ErrorAlert message={action.message} />
      <Done message={done} testId="decide-done" />
    </section>
  );
}
