/**
 * Movement notices (WAL-6): every movement of a customer's money is told to them by
 * e-mail and push, queued in the transaction that moves it, so the notice exists exactly
 * when the movement does. An unexpected movement is how a customer spots a raid; each
 * notice says where to go if it was not them.
 */
import type { Queryable } from '../db/pool.js';
import { listPushSubscriptions } from '../identity/repo/events.js';
import type { UserRow } from '../identity/repo/users.js';
import type { FreezeLinks } from '../identity/freeze-links.js';
import type { Notifier } from '../notify/notifier.js';

export type MovementKind = 'topup_card' | 'topup_cash' | 'chargeback' | 'payment' | 'payment_cancel' | 'refund';

export interface MovementNotice {
  kind: MovementKind;
  /** Signed yen: positive into the wallet, negative out of it. */
  amount: number;
  /** Balance after the movement. */
  balance: number;
  description: string;
  at: Date;
}

const TITLES: Record<MovementKind, { ja: string; en: string }> = {
  topup_card: { ja: 'カードからチャージしました', en: 'Top-up from your card' },
  topup_cash: { ja: '現金でチャージしました', en: 'Cash top-up' },
  chargeback: { ja: 'カード会社がチャージを取り消しました', en: 'Your card issuer reversed a top-up' },
  payment: { ja: 'お支払いがありました', en: 'Payment' },
  payment_cancel: { ja: 'お支払いが取り消されました', en: 'Payment canceled' },
  refund: { ja: '返金がありました', en: 'Refund' },
};

/** ¥12,800 in English, 12,800円 in Japanese, the way each reads it. */
export function formatYen(amount: number, locale: 'ja' | 'en'): string {
  const digits = Math.abs(amount).toLocaleString('en-US');
  const sign = amount < 0 ? '-' : '';
  return locale === 'ja' ? `${sign}${digits}円` : `${sign}¥${digits}`;
}

export function movementText(locale: 'ja' | 'en', n: MovementNotice, helpUrl: string): { title: string; body: string; text: string } {
  const title = TITLES[n.kind][locale];
  const when = n.at.toISOString();
  const body = locale === 'ja'
    ? `${formatYen(n.amount, 'ja')}（${n.description}）残高 ${formatYen(n.balance, 'ja')}`
    : `${formatYen(n.amount, 'en')} (${n.description}) · balance ${formatYen(n.balance, 'en')}`;
  const text = locale === 'ja'
    ? `${title}\n\n金額: ${formatYen(n.amount, 'ja')}\n内容: ${n.description}\n日時: ${when}\n残高: ${formatYen(n.balance, 'ja')}\n\nお心当たりのない場合は、すぐにアプリでアカウントを凍結してください: ${helpUrl}`
    : `${title}\n\nAmount: ${formatYen(n.amount, 'en')}\nWhat: ${n.description}\nWhen: ${when}\nBalance: ${formatYen(n.balance, 'en')}\n\nIf this was not you, freeze your account in the app at once: ${helpUrl}`;
  return { title, body, text };
}

export interface MovementNotifier {
  readonly notifier: Notifier;
  readonly freezeLinks: FreezeLinks;
}

/** Queues the e-mail and push notices of one movement, each with a one-tap freeze link. */
export async function notifyMovement(q: Queryable, deps: MovementNotifier, user: Pick<UserRow, 'id' | 'email' | 'locale'>, n: MovementNotice): Promise<void> {
  const { notifier } = deps;
  const helpUrl = (await deps.freezeLinks.issue(q, user.id, 'money_moved', n.at)).url;
  const m = movementText(user.locale, n, helpUrl);
  await notifier.notify(q, { channel: 'email', to: user.email, subject: `Konpay: ${m.title}`, text: m.text });
  for (const s of await listPushSubscriptions(q, user.id)) {
    await notifier.notify(q, {
      channel: 'push', to: user.id, title: m.title, body: m.body, url: helpUrl,
      subscription: { endpoint: s.endpoint, keys: { p256dh: s.p256dh, auth: s.auth } },
    });
  }
}
