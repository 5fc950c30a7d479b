/**
 * What the customer is told about a case: that we are checking something (opened) and
 * what we decided. Recorded as one outbox row in the case's transaction (`notify.case`);
 * the worker composes the e-mail and push later, as movement notices do
 * (src/wallet/notices.ts), so `openCase` needs nothing but the caller's transaction.
 * A notice never carries the analyst's reason or the risk signals: a fraudster must not
 * learn which rule caught them.
 */
import type pg from 'pg';
import { v5 as uuidv5 } from 'uuid';
import type { Queryable } from '../db/pool.js';
import { withTransaction } from '../db/tx.js';
import { listPushSubscriptionsOf } from '../identity/repo/events.js';
import { findUsers } from '../identity/repo/users.js';
import type { Notifier } from '../notify/notifier.js';
import type { Message } from '../notify/port.js';
import type { TopicHandler } from '../outbox/outbox.js';
import { insertOutbox } from '../outbox/repo.js';
import { fromPublicId, newUuid } from '../shared/ids.js';
import type { CaseKind } from './types.js';

export const CASE_TOPIC = 'notify.case';
const RETRY = { maxAttempts: 12, baseDelayMs: 5_000, maxDelayMs: 3_600_000 };

export type CaseEvent = 'opened' | 'approved' | 'rejected' | 'closed';

export interface CaseNotice {
  userId: string;
  kind: CaseKind;
  event: CaseEvent;
  /** What was held ('topup', 'payment', 'card', …), for the wording; null for claims. */
  subjectType: string | null;
  /** A claim's compensation, when one was paid. */
  amount?: number;
}

const SUBJECT: Record<string, { ja: string; en: string }> = {
  topup: { ja: '最近のチャージ', en: 'a recent top-up' },
  payment: { ja: '最近のお支払い', en: 'a recent payment' },
  card: { ja: '追加されたカード', en: 'a card you added' },
  login: { ja: '最近のサインイン', en: 'a recent sign-in' },
  signup: { ja: 'アカウントの登録', en: 'your sign-up' },
};

/** The notice's title and text in the customer's language. */
export function caseText(locale: 'ja' | 'en', n: CaseNotice): { title: string; text: string } {
  const what = SUBJECT[n.subjectType ?? ''] ?? { ja: '最近のご利用', en: 'recent activity' };
  const yen = n.amount === undefined ? '' : locale === 'ja' ? `${n.amount.toLocaleString('en-US')}円` : `¥${n.amount.toLocaleString('en-US')}`;
  if (n.kind === 'claim') {
    const t = {
      opened: locale === 'ja'
        ? { title: '不正利用のご報告を受け付けました', text: 'ご報告ありがとうございます。担当者が確認します。必要な場合はご連絡することがあります。' }
        : { title: 'We received your report of unauthorised use', text: 'Thank you for telling us. An analyst will look into it; we may contact you.' },
      approved: locale === 'ja'
        ? { title: '補償しました', text: `ご報告いただいた取引について、${yen}を残高に補償しました。` }
        : { title: 'We have compensated you', text: `We have credited ${yen} to your balance for the movements you reported.` },
      rejected: locale === 'ja'
        ? { title: 'ご報告を確認しました', text: '確認の結果、補償の対象とはなりませんでした。ご不明な点はサポートまでお問い合わせください。' }
        : { title: 'We have looked into your report', text: 'We could not compensate these movements. Please contact support if you have questions.' },
      closed: locale === 'ja'
        ? { title: 'ご報告を確認しました', text: 'ご報告の確認を終了しました。' }
        : { title: 'We have looked into your report', text: 'We have finished looking into your report.' },
    };
    return t[n.event];
  }
  const t = {
    opened: locale === 'ja'
      ? { title: `${what.ja}を確認しています`, text: `安全のため、${what.ja}を確認しています。お客さまの操作は必要ありません。必要な場合はご連絡することがあります。` }
      : { title: `We are checking ${what.en}`, text: `For your safety we are checking ${what.en}. Nothing is needed from you; we may contact you.` },
    approved: locale === 'ja'
      ? { title: '確認が終わりました', text: `${what.ja}の確認が終わり、お手続きを進めました。` }
      : { title: 'Our check is done', text: `We have finished checking ${what.en} and let it go through.` },
    rejected: locale === 'ja'
      ? { title: '確認が終わりました', text: `確認の結果、${what.ja}はお受けできませんでした。ご不明な点はサポートまでお問い合わせください。` }
      : { title: 'Our check is done', text: `We could not accept ${what.en}. Please contact support if you have questions.` },
    closed: locale === 'ja'
      ? { title: '確認が終わりました', text: `${what.ja}の確認が終わりました。` }
      : { title: 'Our check is done', text: `We have finished checking ${what.en}.` },
  };
  return t[n.event];
}

/** Records, in the caller's transaction, that the customer must be told. */
export async function recordCaseNotice(q: Queryable, n: CaseNotice, now: Date): Promise<void> {
  await insertOutbox(q, { id: newUuid(), topic: CASE_TOPIC, payload: n, maxAttempts: RETRY.maxAttempts, at: now });
}

const NOTICE_NAMESPACE = '8d7f3c1e-2a4b-4e6d-9f0a-5b3c2d1e0f9a';

/** Composes a case notice: one e-mail and a push per subscription, ids derived from the row's (a rerun queues nothing twice). */
export function caseNoticeHandler(deps: { pool: pg.Pool; notifier: () => Notifier; publicUrl: string }): TopicHandler<CaseNotice> {
  return {
    topic: CASE_TOPIC,
    retry: RETRY,
    deliver: (n, ctx) => withTransaction(deps.pool, async (q) => {
      const [user] = await findUsers(q, [n.userId]);
      if (!user) return;
      const id = fromPublicId('msg', ctx.id) ?? ctx.id;
      const text = caseText(user.locale, n);
      const notifier = deps.notifier();
      const pushes: { message: Message; id: string }[] = (await listPushSubscriptionsOf(q, [user.id])).map((s) => ({
        message: {
          channel: 'push', to: user.id, title: text.title, body: text.text, url: `${deps.publicUrl}/app/`,
          subscription: { endpoint: s.endpoint, keys: { p256dh: s.p256dh, auth: s.auth } },
        },
        id: uuidv5(`${id}:push:${s.endpoint}`, NOTICE_NAMESPACE),
      }));
      await notifier.notifyMany(q, 'email', [{ message: { channel: 'email', to: user.email, subject: `Konpay: ${text.title}`, text: text.text }, id: uuidv5(`${id}:email`, NOTICE_NAMESPACE) }]);
      if (pushes.length) await notifier.notifyMany(q, 'push', pushes);
    }),
  };
}
