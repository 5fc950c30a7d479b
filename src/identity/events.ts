/**
 * Security events (ID-13): recorded for the account's history and told to the customer
 * by e-mail and push, in the same transaction as the change they describe.
 */
import type { Queryable } from '../db/pool.js';
import type { Notifier } from '../notify/notifier.js';
import { newUuid } from '../shared/ids.js';
import type { FreezeLinks } from './freeze-links.js';
import { securityNotice, type SecurityEventKind } from './messages.js';
import { insertSecurityEvent, listPushSubscriptions } from './repo/events.js';
import type { UserRow } from './repo/users.js';

export interface EventContext {
  ip: string | null;
  deviceId: string | null;
  now: Date;
}

export class SecurityEvents {
  constructor(private readonly notifier: Notifier, private readonly publicUrl: string, private readonly freezeLinks: FreezeLinks) {}

  /**
   * Records the event and queues its notices. `extraEmails` adds addresses (a change
   * notice goes to the old address too). Every notice but the freeze confirmation itself
   * carries a one-tap "this wasn't me" link (ID-8); a caller that also sends the link
   * elsewhere (an SMS to the old number) issues it first and passes `freezeLink` and
   * `eventId`.
   */
  async record(q: Queryable, user: Pick<UserRow, 'id' | 'email' | 'locale'>, kind: SecurityEventKind, ctx: EventContext, opts: {
    detail?: string; details?: Record<string, unknown>; extraEmails?: readonly string[]; freezeLink?: string;
    /** Chosen by the caller when something made beforehand (a freeze link) names the event. */
    eventId?: string;
  } = {}): Promise<void> {
    let { freezeLink, eventId } = opts;
    if (!freezeLink && kind !== 'account_frozen') {
      const link = await this.freezeLinks.issue(q, user.id, kind, ctx.now);
      freezeLink = link.url;
      eventId = link.eventId;
    }
    await insertSecurityEvent(q, { id: eventId ?? newUuid(), userId: user.id, kind, ip: ctx.ip, deviceId: ctx.deviceId, details: opts.details ?? {}, now: ctx.now });
    const when = ctx.now.toISOString();
    const detail = opts.detail ?? (user.locale === 'ja' ? `日時: ${when} / IP: ${ctx.ip ?? '-'}` : `When: ${when} · IP: ${ctx.ip ?? '-'}`);
    const help = freezeLink ?? `${this.publicUrl}/help`;
    const notice = securityNotice(user.locale, kind, detail, help);
    for (const to of new Set([user.email, ...(opts.extraEmails ?? [])])) {
      await this.notifier.notify(q, { channel: 'email', to, subject: `Konpay: ${notice.title}`, text: notice.text });
    }
    for (const s of await listPushSubscriptions(q, user.id)) {
      await this.notifier.notify(q, {
        channel: 'push', to: user.id, title: notice.title, body: detail, url: help,
        subscription: { endpoint: s.endpoint, keys: { p256dh: s.p256dh, auth: s.auth } },
      });
    }
  }
}
