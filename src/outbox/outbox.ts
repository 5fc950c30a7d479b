/**
 * The transactional outbox. A business change and the messages it causes commit in the
 * same transaction (`enqueue` takes the transaction's client); the worker delivers them
 * afterwards. Nothing is sent from inside a transaction, so a rolled-back change sends
 * nothing and a committed one is never lost when the process dies.
 */
import type { Queryable } from '../db/pool.js';
import type { Clock } from '../shared/clock.js';
import { newUuid, toPublicId } from '../shared/ids.js';
import { insertOutbox, insertOutboxMany } from './repo.js';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Delivers one topic's payloads. Throw DeliveryError to say whether a retry can help. */
export interface TopicHandler<P = unknown> {
  readonly topic: string;
  readonly retry: RetryPolicy;
  deliver(payload: P, ctx: { id: string; attempt: number }): Promise<void>;
  /**
   * Delivers several messages of the topic at once, all or nothing (one transaction):
   * the worker hands over the topic's rows of a round together, and when this throws it
   * delivers them one by one instead, so one bad message holds up no other.
   */
  deliverMany?(items: readonly { payload: P; ctx: { id: string; attempt: number } }[]): Promise<void>;
}

/** A failed delivery. `permanent` failures (address refused, subscription gone) are not retried. */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(message: string, readonly permanent: boolean) {
    super(message);
  }
}

/**
 * Exponential back-off with ±25 % jitter so retries from many rows do not arrive together,
 * never longer than maxDelayMs (the jitter is clipped too, not only the exponential).
 */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const raw = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.min(policy.maxDelayMs, Math.round(raw * (0.75 + random() * 0.5)));
}

export class Outbox {
  readonly #handlers: ReadonlyMap<string, TopicHandler>;
  readonly #clock: Clock;

  constructor(handlers: readonly TopicHandler[], clock: Clock) {
    this.#handlers = new Map(handlers.map((h) => [h.topic, h]));
    this.#clock = clock;
  }

  handler(topic: string): TopicHandler | undefined {
    return this.#handlers.get(topic);
  }

  /**
   * Records a message in the caller's transaction; returns its public id (`msg_…`). A
   * caller-chosen `id` makes the enqueue idempotent: a handler that fans one message out
   * into others derives their ids from its own, so running it twice queues them once.
   */
  async enqueue<P>(q: Queryable, topic: string, payload: P, opts: { id?: string } = {}): Promise<string> {
    const id = opts.id ?? newUuid();
    await insertOutbox(q, { id, topic, payload, maxAttempts: this.#retryOf(topic).maxAttempts, at: this.#clock.now() });
    return toPublicId('msg', id);
  }

  /**
   * The same for several messages of one topic, in one statement (a batch of payments);
   * ids as `enqueue`'s. `bulk`: sent after every other due message (a notice to every account).
   */
  async enqueueMany<P>(q: Queryable, topic: string, messages: readonly { payload: P; id?: string }[], opts: { bulk?: boolean } = {}): Promise<void> {
    const { maxAttempts } = this.#retryOf(topic);
    const rows = messages.map((m) => ({ id: m.id ?? newUuid(), payload: m.payload }));
    if (rows.length) await insertOutboxMany(q, { topic, maxAttempts, at: this.#clock.now(), bulk: opts.bulk ?? false, messages: rows });
  }

  #retryOf(topic: string): RetryPolicy {
    const handler = this.#handlers.get(topic);
    if (!handler) throw new Error(`no outbox handler for topic ${topic}`);
    return handler.retry;
  }
}
