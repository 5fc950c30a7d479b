/**
 * A sale: the amount, then the customer's code, then the answer. Approved shows what the
 * receipt needs; declined says why and what to do, from the documented reasons; no
 * answer offers the one safe move, sending the same attempt again (same key, same order
 * number), which can never charge twice.
 */
import { useState } from 'preact/hooks';
import { useAction } from '../action.js';
import { outcomeUnknown, useAttempt } from '../attempt.js';
import type { Payment } from '../contract.js';
import { useLocale } from '../i18n/i18n.js';
import { formatTime, formatYen, parseYen } from '../money.js';
import { InputError, explain, explainDecline } from '../problems.js';
import { checkedCode, CodeField } from '../scan/code-field.js';
import { useSession } from '../session.js';
import { Refusal, newOrderId } from '../till.js';
import { ErrorAlert, Facts, Field, Form, Submit } from '../ui.js';

interface SaleInput { code: string; amount: number }

type Step =
  | { kind: 'amount' }
  | { kind: 'code' }
  | { kind: 'approved'; payment: Payment }
  | { kind: 'declined'; reason: unknown }
  | { kind: 'unknown'; input: SaleInput; error: unknown };

/** The POS page takes no basket: the categories are left to integrated tills. */
const makeBody = (i: SaleInput) => ({ ...i, orderId: newOrderId(), categories: [] });

export function SaleScreen({ onAfterSale }: { onAfterSale(paymentId: string): void }) {
  const { t, locale } = useLocale();
  const { till } = useSession();
  const action = useAction();
  const attempt = useAttempt(makeBody);
  const [amountText, setAmountText] = useState('');
  const [code, setCode] = useState('');
  const [step, setStep] = useState<Step>({ kind: 'amount' });
  const amount = parseYen(amountText);

  const restart = () => {
    setAmountText('');
    setCode('');
    action.clear();
    setStep({ kind: 'amount' });
  };

  const send = (input: SaleInput) => action.run(async () => {
    const a = attempt.for(input);
    try {
      const payment = await till.pay(a);
      attempt.settle();
      setStep({ kind: 'approved', payment });
    } catch (err) {
      attempt.settle(err);
      if (outcomeUnknown(err)) return setStep({ kind: 'unknown', input, error: err });
      if (err instanceof Refusal && err.code === 'payment_declined') return setStep({ kind: 'declined', reason: err.problem.reason });
      throw err;
    } finally {
      // The code is single-use and the customer's: it is not kept on screen after sending.
      setCode('');
    }
  });

  // Checked before sending: a typo is explained here and never reaches Konpay.
  const submitCode = (typed: string) => {
    let checked: string;
    try {
      checked = checkedCode(typed);
    } catch (err) {
      return action.fail(err);
    }
    return send({ code: checked, amount: amount! });
  };

  switch (step.kind) {
    case 'amount':
      return (
        <Form busy={false} onSubmit={() => {
          if (amount === undefined || amount < 1) return action.fail(new InputError('sale.amount.invalid'));
          action.clear();
          setStep({ kind: 'code' });
        }}>
          <Field label={t('sale.amount')} hint={t('sale.amount.hint')} name="amount" inputMode="numeric" value={amountText} onValue={setAmountText} focus large />
          <p class="total" aria-hidden="true">{amount === undefined ? '' : formatYen(amount)}</p>
          <ErrorAlert message={action.message} />
          <Submit label={t('sale.next')} busy={false} />
        </Form>
      );
    case 'code':
      return (
        <Form busy={action.busy} onSubmit={() => submitCode(code)}>
          <p class="due"><span>{t('sale.toPay')}</span> <strong data-testid="due">{formatYen(amount!)}</strong></p>
          <CodeField value={code} onValue={setCode} onScanned={(c) => void submitCode(c)} />
          <ErrorAlert message={action.message} />
          <div class="row">
            <Submit label={action.busy ? t('sale.sending') : t('sale.charge', { amount: formatYen(amount!) })} busy={action.busy} />
            <button type="button" class="link" disabled={action.busy} onClick={() => { action.clear(); setStep({ kind: 'amount' }); }}>{t('sale.changeAmount')}</button>
          </div>
        </Form>
      );
    case 'approved': {
      const p = step.payment;
      return (
        <section class="result ok" aria-labelledby="result-title">
          <div role="status"><h2 id="result-title">✓ {t('approved.title')}</h2></div>
          <Facts rows={[
            [t('approved.amount'), <span class="big">{formatYen(p.amount)}</span>, 'paid-amount'],
            [t('approved.id'), <code>{p.id}</code>, 'payment-id'],
            [t('approved.time'), formatTime(p.createdAt, locale)],
            [t('approved.order'), <code>{p.orderId}</code>],
          ]} />
          <div class="row">
            <button type="button" class="primary" onClick={restart}>{t('approved.next')}</button>
            <button type="button" class="secondary" onClick={() => onAfterSale(p.id)}>{t('approved.afterSale')}</button>
          </div>
        </section>
      );
    }
    case 'declined':
      return (
        <section class="result bad" aria-labelledby="result-title">
          <h2 id="result-title">✕ {t('declined.title')}</h2>
          <p class="due"><span>{t('sale.toPay')}</span> <strong>{formatYen(amount!)}</strong></p>
          <p role="alert" class="reason" data-testid="decline-reason">{explainDecline(step.reason, t)}</p>
          <p class="hint"><code>{String(step.reason)}</code></p>
          <div class="row">
            <button type="button" class="primary" onClick={() => setStep({ kind: 'code' })}>{t('declined.again')}</button>
            <button type="button" class="secondary" onClick={restart}>{t('declined.newSale')}</button>
          </div>
        </section>
      );
    case 'unknown':
      return (
        <section class="result unsure" aria-labelledby="result-title">
          <h2 id="result-title">{t('unknown.title')}</h2>
          <p class="due"><span>{t('sale.toPay')}</span> <strong>{formatYen(step.input.amount)}</strong></p>
          <p role="alert">{explain(step.error, t)}</p>
          <p class="why">{t('unknown.why')}</p>
          <ErrorAlert message={action.message} />
          <div class="row">
            <button type="button" class="primary" disabled={action.busy} onClick={() => void send(step.input)}>{t('unknown.retry')}</button>
            <button type="button" class="secondary" disabled={action.busy} onClick={restart}>{t('unknown.abandon')}</button>
          </div>
        </section>
      );
  }
}
