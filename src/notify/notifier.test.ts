import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import { withTransaction } from '../db/tx.js';
import { DeliveryError } from '../outbox/outbox.js';
import { ManualClock } from '../shared/clock.js';
import { fromPublicId, newUuid, toPublicId } from '../shared/ids.js';
import { notifyHandlers } from './notifier.js';
import type { EmailMessage, Message, PushMessage, Sender } from './port.js';

/** A sender that records what it is given and fails when told to. */
class FakeSender<M extends Message> implements Sender<M> {
  sent: M[] = [];
  /** Errors to throw on the next sends, in order. */
  failures: Error[] = [];
  constructor(readonly name: string) {}
  async send(m: M): Promise<void> {
    const err = this.failures.shift();
    if (err) throw err;
    this.sent.push(m);
  }
}

interface DevJson {
  messages: { id: string; channel: string; to: string; subject: string | null; body: string; meta: Record<string, unknown>; createdAt: string }[];
}

const email = new FakeSender<EmailMessage>('fake-email');
const push = new FakeSender<PushMessage>('fake-push');
const clock = new ManualClock('2026-03-02T09:00:00Z');
let t: TestKonpay;

beforeAll(async () => {
  // No SMS sender: that channel runs in "development" mode, dev outbox only.
  t = await startTestKonpay({}, { senders: { email, push }, worker: false, clock });
});
afterAll(() => t.stop());
beforeEach(() => {
  email.sent = [];
  email.failures = [];
  push.sent = [];
  push.failures = [];
});

async function devOutbox(to: string): Promise<DevJson['messages']> {
  const res = await t.konpay.app.inject({ method: 'GET', url: `/dev/outbox?to=${encodeURIComponent(to)}` });
  expect(res.statusCode).toBe(200);
  return (res.json() as DevJson).messages;
}

async function outboxRow(publicId: string) {
  const res = await t.konpay.pool.query<{ status: string; attempts: number; payload: unknown; last_error: string | null; next_attempt_at: Date }>(
    'SELECT status, attempts, payload, last_error, next_attempt_at FROM outbox WHERE id = $1',
    [fromPublicId('msg', publicId)],
  );
  return res.rows[0];
}

const mail = (to: string): EmailMessage => ({ channel: 'email', to, subject: 'Your code', text: 'Code 123456' });

describe('Notifier with the outbox worker', () => {
  it('delivers a committed message through its sender and copies it to the dev outbox', async () => {
    const message = mail('commit@example.jp');
    const id = await withTransaction(t.konpay.pool, (c) => t.konpay.notifier.notify(c, message));
    expect(id).toMatch(/^msg_[0-9a-f]{32}$/);

    expect(await t.konpay.worker.runOnce()).toBe(1);

    expect(email.sent).toEqual([message]);
    const dev = await devOutbox('commit@example.jp');
    expect(dev).toEqual([{
      id, channel: 'email', to: 'commit@example.jp', subject: 'Your code', body: 'Code 123456',
      meta: { via: 'fake-email' }, createdAt: clock.now().toISOString(),
    }]);
    // Sent rows forget their payload (it may hold a one-time code).
    expect(await outboxRow(id)).toMatchObject({ status: 'sent', attempts: 1, payload: null });
  });

  it('sends nothing before the transaction commits', async () => {
    const message = mail('pending@example.jp');
    await withTransaction(t.konpay.pool, async (c) => {
      await t.konpay.notifier.notify(c, message);
      // The worker uses its own connections: the uncommitted row is invisible to it.
      expect(await t.konpay.worker.runOnce()).toBe(0);
    });
    expect(email.sent).toEqual([]);
    expect(await t.konpay.worker.runOnce()).toBe(1);
    expect(email.sent).toEqual([message]);
  });

  it('sends nothing when the transaction rolls back', async () => {
    let id: string | undefined;
    await expect(withTransaction(t.konpay.pool, async (c) => {
      id = await t.konpay.notifier.notify(c, mail('rollback@example.jp'));
      throw new Error('business rule failed');
    })).rejects.toThrow('business rule failed');

    expect(id).toBeDefined();
    expect(await t.konpay.worker.runOnce()).toBe(0);
    expect(email.sent).toEqual([]);
    expect(await devOutbox('rollback@example.jp')).toEqual([]);
    expect(await outboxRow(id!)).toBeUndefined();
  });

  it('puts a message for a channel without a sender in the dev outbox', async () => {
    const id = await withTransaction(t.konpay.pool, (c) =>
      t.konpay.notifier.notify(c, { channel: 'sms', to: '+819011112222', text: 'Konpay code 654321' }));
    expect(await t.konpay.worker.runOnce()).toBe(1);

    expect(email.sent).toEqual([]);
    expect(push.sent).toEqual([]);
    const dev = await devOutbox('+819011112222');
    expect(dev).toHaveLength(1);
    expect(dev[0]).toMatchObject({ id, channel: 'sms', subject: null, body: 'Konpay code 654321', meta: { via: 'dev-outbox' } });
    expect(await outboxRow(id)).toMatchObject({ status: 'sent' });
  });

  it('shows a push message with its title as subject and its link in meta', async () => {
    const message: PushMessage = {
      channel: 'push', to: 'usr_push1', subscription: { endpoint: 'https://push.example/x', keys: { p256dh: 'p', auth: 'a' } },
      title: 'Paid ¥500', body: 'Lawson Ueno', url: 'https://konpay.test/t/1',
    };
    await withTransaction(t.konpay.pool, (c) => t.konpay.notifier.notify(c, message));
    expect(await t.konpay.worker.runOnce()).toBe(1);

    expect(push.sent).toEqual([message]);
    expect(await devOutbox('usr_push1')).toMatchObject([
      { channel: 'push', subject: 'Paid ¥500', body: 'Lawson Ueno', meta: { via: 'fake-push', url: 'https://konpay.test/t/1' } },
    ]);
  });

  it('abandons a permanently failing message and does not show it as sent', async () => {
    email.failures = [new DeliveryError('smtp: 550 no such user', true)];
    const id = await withTransaction(t.konpay.pool, (c) => t.konpay.notifier.notify(c, mail('gone@example.jp')));
    expect(await t.konpay.worker.runOnce()).toBe(1);

    expect(email.sent).toEqual([]);
    expect(await devOutbox('gone@example.jp')).toEqual([]);
    expect(await outboxRow(id)).toMatchObject({ status: 'dead', attempts: 1, payload: null, last_error: 'smtp: 550 no such user' });
    clock.advance(24 * 3600_000);
    expect(await t.konpay.worker.runOnce()).toBe(0);
  });

  it('retries a temporarily failing message later, then delivers and copies it once', async () => {
    email.failures = [new DeliveryError('smtp: 451 try later', false)];
    const message = mail('later@example.jp');
    const id = await withTransaction(t.konpay.pool, (c) => t.konpay.notifier.notify(c, message));
    expect(await t.konpay.worker.runOnce()).toBe(1);

    expect(email.sent).toEqual([]);
    expect(await devOutbox('later@example.jp')).toEqual([]);
    const row = await outboxRow(id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: 'smtp: 451 try later' });
    expect(row!.next_attempt_at.getTime()).toBeGreaterThan(clock.now().getTime());
    expect(await t.konpay.worker.runOnce()).toBe(0); // not due yet

    clock.set(row!.next_attempt_at);
    expect(await t.konpay.worker.runOnce()).toBe(1);
    expect(email.sent).toEqual([message]);
    expect(await devOutbox('later@example.jp')).toMatchObject([{ id, to: 'later@example.jp' }]);
    expect(await outboxRow(id)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('adds nothing to the dev outbox when the same outbox row is delivered again', async () => {
    // At-least-once delivery: a worker that dies after sending redelivers with the same row id.
    const [handler] = notifyHandlers({ senders: {}, devOutbox: { pool: t.konpay.pool, clock }, logger: t.konpay.logger });
    const rowId = newUuid();
    const message: Message = { channel: 'email', to: 'twice@example.jp', subject: 's', text: 'first' };
    await handler!.deliver(message, { id: rowId, attempt: 1 });
    await handler!.deliver({ ...message, text: 'second' }, { id: rowId, attempt: 2 });

    expect(await devOutbox('twice@example.jp')).toMatchObject([{ id: toPublicId('msg', rowId), body: 'first' }]);
  });
});
