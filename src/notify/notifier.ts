/**
 * Sending customer messages: `notify()` records them in the outbox inside the caller's
 * transaction; the outbox worker later hands each to its channel's sender. Outside
 * production every delivered message is also copied to the development outbox, so
 * codes and links can be read without a real mailbox or phone.
 */
import type pg from 'pg';
import type { Queryable } from '../db/pool.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { Outbox, RetryPolicy, TopicHandler } from '../outbox/outbox.js';
import { insertDevMessage } from './dev-outbox/repo.js';
import type { Channel, EmailMessage, Message, PushMessage, Sender, SmsMessage } from './port.js';

export interface ChannelSenders {
  email?: Sender<EmailMessage> | undefined;
  sms?: Sender<SmsMessage> | undefined;
  push?: Sender<PushMessage> | undefined;
}

/** A day of retries for mail and push; SMS codes expire in minutes, so fewer, faster tries. */
const RETRY: Record<Channel, RetryPolicy> = {
  email: { maxAttempts: 12, baseDelayMs: 5_000, maxDelayMs: 3_600_000 },
  sms: { maxAttempts: 6, baseDelayMs: 2_000, maxDelayMs: 60_000 },
  push: { maxAttempts: 8, baseDelayMs: 5_000, maxDelayMs: 3_600_000 },
};

export const topicFor = (channel: Channel) => `notify.${channel}` as const;

export interface NotifyHandlerOptions {
  senders: ChannelSenders;
  devOutbox: { pool: pg.Pool; clock: Clock } | undefined;
  logger: Logger;
}

/** The outbox handlers for the three channels. */
export function notifyHandlers(opts: NotifyHandlerOptions): TopicHandler<Message>[] {
  return (['email', 'sms', 'push'] as const).map((channel) => ({
    topic: topicFor(channel),
    retry: RETRY[channel],
    async deliver(message, ctx) {
      const sender = opts.senders[channel] as Sender<Message> | undefined;
      if (sender) await sender.send(message, { id: ctx.id });
      else if (!opts.devOutbox) opts.logger.warn({ channel }, 'no sender configured for channel; message dropped');
      if (opts.devOutbox) await copyToDevOutbox(opts.devOutbox, message, ctx.id, sender?.name ?? 'dev-outbox');
    },
  }));
}

async function copyToDevOutbox(dev: { pool: pg.Pool; clock: Clock }, m: Message, outboxId: string, via: string) {
  await insertDevMessage(dev.pool, {
    // The outbox row id makes a redelivery after a crash overwrite nothing and add nothing.
    id: outboxId,
    channel: m.channel,
    recipient: m.to,
    subject: m.channel === 'email' ? m.subject : m.channel === 'push' ? m.title : null,
    body: m.channel === 'email' ? m.text : m.channel === 'sms' ? m.text : m.body,
    meta: { via, ...(m.channel === 'push' && m.url ? { url: m.url } : {}), ...(m.channel === 'email' && m.html ? { html: true } : {}) },
    createdAt: dev.clock.now(),
  });
}

/** What services use to send: records the message with their transaction. */
export class Notifier {
  constructor(private readonly outbox: Outbox) {}

  notify(q: Queryable, message: Message, opts: { id?: string } = {}): Promise<string> {
    return this.outbox.enqueue(q, topicFor(message.channel), message, opts);
  }

  /** Records a message of another topic, one whose handler composes and fans out notices later. */
  later<P>(q: Queryable, topic: string, payload: P, opts: { id?: string } = {}): Promise<string> {
    return this.outbox.enqueue(q, topic, payload, opts);
  }

  /**
   * Several messages of one channel, with caller-chosen ids, in one statement. `bulk`: a
   * notice to every account, sent after every other message (codes first).
   */
  notifyMany(q: Queryable, channel: Channel, messages: readonly { message: Message; id: string }[], opts: { bulk?: boolean } = {}): Promise<void> {
    return this.outbox.enqueueMany(q, topicFor(channel), messages.map((m) => ({ payload: m.message, id: m.id })), opts);
  }

  /** The same for several messages of one topic, in one statement. */
  laterMany<P>(q: Queryable, topic: string, payloads: readonly P[]): Promise<void> {
    return this.outbox.enqueueMany(q, topic, payloads.map((payload) => ({ payload })));
  }
}

