/**
 * Messages to customers and the channels that carry them. Services say *what* to send
 * (through the outbox); the adapters below know *how* each provider takes it.
 */

export interface EmailMessage {
  channel: 'email';
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface SmsMessage {
  channel: 'sms';
  /** E.164, e.g. +819012345678. */
  to: string;
  text: string;
}

export interface PushSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface PushMessage {
  channel: 'push';
  /** Whom it is for (a user id), for the development outbox and logs; the subscription says where. */
  to: string;
  subscription: PushSubscription;
  title: string;
  body: string;
  url?: string;
}

export type Message = EmailMessage | SmsMessage | PushMessage;
export type Channel = Message['channel'];

/** One provider for one channel. Throws DeliveryError (permanent or not) on failure. */
export interface Sender<M extends Message> {
  readonly name: string;
  /** `id` is the outbox message's: the same on every retry of one message. */
  send(message: M, meta?: { id: string }): Promise<void>;
}
