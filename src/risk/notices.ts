/**
 * What the customer is told when the risk engine stops a payment at the till (RISK-1):
 * the cashier sees only "declined", so the owner hears it from us, in plain words — never
 * the rule that fired, which would teach an attacker what to avoid. A held payment is
 * told by its case (src/cases/), which also says how it ended.
 */
import type { Queryable } from '../db/pool.js';
import type { Notifier } from '../notify/notifier.js';

export interface DeclineNotice {
  email: string;
  locale: 'ja' | 'en';
  amount: number;
  store: string;
  /** step_up: prove it is you in the app, then pay again; deny: refused, contact us if it was you. */
  outcome: 'step_up' | 'hold' | 'deny';
}

const yen = (n: number) => `¥${n.toLocaleString('en-US')}`;

function text(n: DeclineNotice): { subject: string; text: string } {
  if (n.locale === 'ja') {
    const head = `${n.store}での${yen(n.amount)}のお支払いは、安全確認のためお断りしました。`;
    const body = n.outcome === 'step_up'
      ? 'ご本人のお支払いの場合は、アプリで本人確認（SMS・認証アプリ・パスキー）を行い、新しいコードでもう一度お支払いください。'
      : n.outcome === 'hold'
        ? '担当者が確認しています。結果はあらためてお知らせします。'
        : 'ご本人のお支払いの場合はサポートへご連絡ください。';
    return { subject: 'Konpay: お支払いをお断りしました', text: `${head}\n${body}\nお心当たりがない場合は、すぐにアプリからアカウントを凍結してください。` };
  }
  const head = `Your payment of ${yen(n.amount)} at ${n.store} was declined by our security checks.`;
  const body = n.outcome === 'step_up'
    ? 'If it was you: confirm it is you in the app (SMS, authenticator app or passkey), then pay again with a fresh code.'
    : n.outcome === 'hold'
      ? 'Our team is looking at it; we will tell you the outcome.'
      : 'If it was you, please contact support.';
  return { subject: 'Konpay: a payment was declined', text: `${head}\n${body}\nIf it was not you, freeze your account in the app now.` };
}

export async function tellDeclined(q: Queryable, notifier: Notifier, notices: readonly DeclineNotice[]): Promise<void> {
  for (const n of notices) {
    const { subject, text: body } = text(n);
    await notifier.notify(q, { channel: 'email', to: n.email, subject, text: body });
  }
}
