/**
 * Cancel or refund a payment of this store, found by its id (from the approved screen
 * or typed from a receipt). Cancel is the whole payment on its own business day; a
 * refund may be part of it, any day. Each is an attempt of its own: a retry after a lost
 * answer sends the same Idempotency-Key, so nothing is refunded twice.
 */
import { useEffect, useState } from 'preact/hooks';
import { useAction } from '../action.js';
import { useAttempt } from '../attempt.js';
import type { Payment } from '../contract.js';
import { useLocale } from '../i18n/i18n.js';
import { formatTime, formatYen, parseYen } from '../money.js';
import { InputError } from '../problems.js';
import { useSession } from '../session.js';
import { ErrorAlert, Facts, Field, Form, Submit } from '../ui.js';

const PAYMENT_ID = /^pay_[0-9a-f]{32}$/;

export function AfterSaleScreen({ initialId }: { initialId: string | undefined }) {
  const { t, locale } = useLocale();
  const { till } = useSession();
  const action = useAction();
  const cancelAttempt = useAttempt((i: { paymentId: string }) => i);
  const refundAttempt = useAttempt((i: { paymentId: string; amount: number; reason: string }) => ({
    paymentId: i.paymentId, refund: { amount: i.amount, ...(i.reason ? { reason: i.reason } : {}) },
  }));
  const [idText, setIdText] = useState(initialId ?? '');
  const [payment, setPayment] = useState<Payment>();
  const [refundText, setRefundText] = useState('');
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string>();

  const find = (id: string) => action.run(async () => {
    setPayment(undefined);
    setDone(undefined);
    const trimmed = id.trim();
    if (!PAYMENT_ID.test(trimmed)) throw new InputError('error.payment_not_found');
    setPayment(await till.payment(trimmed));
  });
  // From the approved screen: the payment is shown at once.
  useEffect(() => {
    if (initialId) void find(initialId);
  }, [initialId]);

  /** Runs one money-moving attempt and keeps it open only while its outcome is unknown. */
  const settle = async (a: { settle(err?: unknown): void }, fn: () => Promise<Payment>, message: (p: Payment) => string) => {
    try {
      const p = await fn();
      a.settle();
      setPayment(p);
      setDone(message(p));
    } catch (err) {
      a.settle(err);
      throw err;
    }
  };

  const cancel = (p: Payment) => action.run(async () => {
    setDone(undefined);
    await settle(cancelAttempt, () => till.cancel(cancelAttempt.for({ paymentId: p.id })), () => t('after.canceled'));
  });

  const refund = (p: Payment) => action.run(async () => {
    setDone(undefined);
    const amount = parseYen(refundText);
    if (amount === undefined || amount < 1) throw new InputError('sale.amount.invalid');
    const input = { paymentId: p.id, amount, reason: reason.trim() };
    await settle(refundAttempt, () => till.refund(refundAttempt.for(input)), () => t('after.refundedNow', { amount: formatYen(amount) }));
    setRefundText('');
    setReason('');
  });

  return (
    <>
      <Form onSubmit={() => find(idText)} busy={action.busy}>
        <Field label={t('after.id')} hint={t('after.id.hint')} name="paymentId" value={idText} onValue={setIdText} focus={!initialId} />
        <Submit label={t('after.find')} busy={action.busy} />
      </Form>
      <ErrorAlert message={action.message} />
      <div role="status" class={done ? 'done' : 'done empty'}>{done}</div>
      {payment && (
        <section class="payment" aria-label={payment.id}>
          <Facts rows={[
            [t('after.id'), <code>{payment.id}</code>],
            [t('after.status'), t(`after.status.${payment.status}`), 'payment-status'],
            [t('after.paid'), formatYen(payment.amount)],
            [t('after.refunded'), formatYen(payment.refunded), 'payment-refunded'],
            [t('after.when'), formatTime(payment.createdAt, locale)],
          ]} />
          {payment.status === 'approved' && (
            <div class="columns">
              <section aria-labelledby="cancel-title">
                <h2 id="cancel-title">{t('after.cancel.title')}</h2>
                <p class="hint">{t('after.cancel.why')}</p>
                <button type="button" class="danger" disabled={action.busy} onClick={() => void cancel(payment)}>{t('after.cancel')}</button>
              </section>
              <section aria-labelledby="refund-title">
                <h2 id="refund-title">{t('after.refund.title')}</h2>
                <Form onSubmit={() => refund(payment)} busy={action.busy}>
                  <Field label={t('after.refund.amount')} name="refundAmount" inputMode="numeric" value={refundText} onValue={setRefundText} />
                  <Field label={t('after.refund.reason')} name="refundReason" value={reason} onValue={setReason} />
                  <Submit label={t('after.refund')} busy={action.busy} />
                </Form>
              </section>
            </div>
          )}
        </section>
      )}
    </>
  );
}
