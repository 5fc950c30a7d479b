/**
 * Movement notices (WAL-6): every movement of a customer's money is told to them by
 * e-mail and push, queued in the transaction that moves it, so the notice exists exactly
 * when the movement does. An unexpected movement is how a customer spots a raid; each
 * notice says where to go if it was not them.
 */
import type pg from 'pg';
import { v5 as uuidv5 } from 'uuid';
import type { Queryable } from '../db/pool.js';
import { withTransaction } from '../db/tx.js';
import type { FreezeLinks } from '../identity/freeze-links.js';
import { listPushSubscriptionsOf } from '../identity/repo/events.js';
import { findUsers, type UserRow } from '../identity/repo/users.js';
import type { Notifier } from '../notify/notifier.js';
import type { Message } from '../notify/port.js';
import type { TopicHandler } from '../outbox/outbox.js';
import { fromPublicId } from '../shared/ids.js';

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
}

export const MOVEMENT_TOPIC = 'notify.movement';

/** What is recorded with the movement: enough to compose the notices later. */
interface MovementMessage {
  userId: string;
  kind: MovementKind;
  amount: number;
  balance: number;
  description: string;
  at: string;
}

/**
 * Records that the customer must be told of a movement, in the movement's transaction:
 * one row, so the payment path stays short. The outbox worker composes the e-mail and
 * push notices (with a freeze link) moments later (`movementNoticeHandler`).
 */
export async function notifyMovement(q: Queryable, deps: MovementNotifier, user: Pick<UserRow, 'id'>, n: MovementNotice): Promise<void> {
  await deps.notifier.later(q, MOVEMENT_TOPIC, messageOf(user.id, n));
}

/** The same for a batch of movements (the payment batch), in one statement. */
export async function notifyMovements(q: Queryable, deps: MovementNotifier, movements: readonly { userId: string; notice: MovementNotice }[]): Promise<void> {
  await deps.notifier.laterMany(q, MOVEMENT_TOPIC, movements.map((m) => messageOf(m.userId, m.notice)));
}

function messageOf(userId: string, n: MovementNotice): MovementMessage {
  return { userId, kind: n.kind, amount: n.amount, balance: n.balance, description: n.description, at: n.at.toISOString() };
}

/** Fixed namespace of the notices' ids, derived from the movement message's id. */
const NOTICE_NAMESPACE = '3b0e7a52-6c1d-4f8e-9d2a-71c5e0b4f9a3';

/**
 * Composes a movement's notices: the freeze link, the e-mail, a push per subscription.
 * Their ids derive from the movement message's, so a worker that dies after this commits
 * and runs it again queues nothing twice (an orphan freeze link at most, unused). The
 * worker hands over a round's movements together (`deliverMany`): one transaction and a
 * statement per step for all of them, as busy tills make many at once.
 */
export function movementNoticeHandler(deps: { pool: pg.Pool; freezeLinks: FreezeLinks; notifier: () => Notifier }): TopicHandler<MovementMessage> {
  const compose = async (q: Queryable, items: readonly { payload: MovementMessage; ctx: { id: string } }[]) => {
    const users = new Map((await findUsers(q, [...new Set(items.map((i) => i.payload.userId))])).map((u) => [u.id, u]));
    const told = items.filter((i) => users.has(i.payload.userId));
    if (told.length === 0) return;
    const links = await deps.freezeLinks.issueMany(q, told.map((i) => ({ userId: i.payload.userId, event: 'money_moved' as const, now: new Date(i.payload.at) })));
    const subscriptions = await listPushSubscriptionsOf(q, [...new Set(told.map((i) => i.payload.userId))]);
    const emails: { message: Message; id: string }[] = [];
    const pushes: { message: Message; id: string }[] = [];
    told.forEach(({ payload: m, ctx }, k) => {
      const user = users.get(m.userId)!;
      const outboxId = fromPublicId('msg', ctx.id) ?? ctx.id;
      const helpUrl = links[k]!.url;
      const text = movementText(user.locale, { ...m, at: new Date(m.at) }, helpUrl);
      emails.push({ message: { channel: 'email', to: user.email, subject: `Konpay: ${text.title}`, text: text.text }, id: uuidv5(`${outboxId}:email`, NOTICE_NAMESPACE) });
      for (const s of subscriptions.filter((x) => x.user_id === user.id)) {
        pushes.push({
          message: {
            channel: 'push', to: user.id, title: text.title, body: text.body, url: helpUrl,
            subscription: { endpoint: s.endpoint, keys: { p256dh: s.p256dh, auth: s.auth } },
          },
          id: uuidv5(`${outboxId}:push:${s.endpoint}`, NOTICE_NAMESPACE),
        });
      }
    });
    const notifier = deps.notifier();
    await notifier.notifyMany(q, 'email', emails);
    if (pushes.length) await notifier.notifyMany(q, 'push', pushes);
  };
  return {
    topic: MOVEMENT_TOPIC,
    retry: { maxAttempts: 12, baseDelayMs: 5_000, maxDelayMs: 3_600_000 },
    deliver: (payload, ctx) => withTransaction(deps.pool, (q) => compose(q, [{ payload, ctx }])),
    deliverMany: (items) => withTransaction(deps.pool, (q) => compose(q, items)),
  };
}
