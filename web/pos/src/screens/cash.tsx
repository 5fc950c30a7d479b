/**
 * Cash top-up: the cash in ¥1,000 steps and the customer's code, then the till's
 * receipt. The receipt shows what the API answers and nothing more: no balance, no name
 * or contact (the customer sees the balance in the app). A retry of the same amount and
 * code after a lost answer is the same attempt, so the cash is credited once.
 */
import { useState } from 'preact/hooks';
import { useAction } from '../action.js';
import { useAttempt } from '../attempt.js';
import type { CashReceipt } from '../contract.js';
import { useLocale } from '../i18n/i18n.js';
import { formatTime, formatYen, parseYen } from '../money.js';
import { InputError } from '../problems.js';
import { checkedCode, CodeField } from '../scan/code-field.js';
import { useSession } from '../session.js';
import { ErrorAlert, Facts, Field, Form, Submit } from '../ui.js';

const STEP = 1000;
const MAX = 49_000;

export function CashScreen() {
  const { t, locale } = useLocale();
  const { till } = useSession();
  const action = useAction();
  const attempt = useAttempt((i: { code: string; amount: number }) => i);
  const [amountText, setAmountText] = useState('');
  const [code, setCode] = useState('');
  const [receipt, setReceipt] = useState<CashReceipt>();
  const amount = parseYen(amountText);

  const submit = (typed: string) => action.run(async () => {
    if (amount === undefined || amount < STEP || amount > MAX || amount % STEP !== 0) throw new InputError('cash.amount.invalid');
    const a = attempt.for({ code: checkedCode(typed), amount });
    try {
      setReceipt(await till.cashTopup(a));
      attempt.settle();
      setCode('');
      setAmountText('');
    } catch (err) {
      attempt.settle(err);
      throw err;
    }
  });

  if (receipt) {
    return (
      <section class="result ok" aria-labelledby="receipt-title">
        <div role="status"><h2 id="receipt-title">✓ {t('cash.receipt.title')}</h2></div>
        <Facts rows={[
          [t('cash.receipt.amount'), <span class="big">{formatYen(receipt.amount)}</span>, 'cash-amount'],
          [t('cash.receipt.id'), <code>{receipt.id}</code>, 'receipt-id'],
          [t('cash.receipt.time'), formatTime(receipt.createdAt, locale)],
          [t('cash.receipt.store'), receipt.store.name],
          [t('cash.receipt.code'), <code>…{receipt.codeEnding}</code>, 'code-ending'],
        ]} />
        <p class="hint">{t('cash.receipt.note')}</p>
        <button type="button" class="primary" onClick={() => setReceipt(undefined)}>{t('cash.next')}</button>
      </section>
    );
  }
  return (
    <Form onSubmit={() => submit(code)} busy={action.busy}>
      <Field label={t('cash.amount')} hint={t('cash.amount.hint')} name="cashAmount" inputMode="numeric" value={amountText} onValue={setAmountText} focus large />
      <CodeField value={code} onValue={setCode} onScanned={(c) => void submit(c)} focus={false} />
      <ErrorAlert message={action.message} />
      <Submit label={amount ? t('cash.submit', { amount: formatYen(amount) }) : t('cash.title')} busy={action.busy} />
    </Form>
  );
}
