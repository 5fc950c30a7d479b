/**
 * Driving the identity API as a customer would, reading codes from the dev outbox.
 * Test servers run with the worker off or on; `latestCode` drains the outbox itself.
 */
import { expect } from 'vitest';
import type { TestKonpay } from './konpay.js';

let counter = 0;

/** A fresh, valid identity: a unique e-mail and Japanese mobile number, a strong password. */
export function newCustomer(tag = 'c') {
  counter++;
  // 090-1xxx… to 090-9xxx… are real mobile ranges; 090-0xxx is not.
  const n = `${1000 + (process.pid % 9000)}` + `${counter}`.padStart(4, '0');
  return {
    email: `${tag}${n}@example.jp`,
    phone: `090${n}`,
    phoneE164: `+8190${n}`,
    password: `tsuki-no-usagi ${n} mochi`,
  };
}

const draining = new WeakMap<TestKonpay, Promise<void>>();

/**
 * Delivers everything queued so far. Concurrent callers take turns: a caller whose round
 * found nothing must not read the outbox while another's round is still delivering.
 */
export function drainOutbox(t: TestKonpay): Promise<void> {
  const next = (draining.get(t) ?? Promise.resolve()).then(async () => {
    while ((await t.konpay.worker.runOnce()) > 0);
  });
  draining.set(t, next.catch(() => {}));
  return next;
}

/**
 * Delivers what is queued, then returns the newest 6-digit code sent to `to`. A server
 * that listens runs its own outbox worker too: when that worker has claimed the message,
 * our drain finds nothing while it is still being delivered, so a missing code is looked
 * for again for a few seconds before giving up.
 */
export async function latestCode(t: TestKonpay, to: string, channel?: 'email' | 'sms'): Promise<string> {
  for (let tries = 0; ; tries++) {
    await drainOutbox(t);
    const res = await t.konpay.app.inject({ method: 'GET', url: `/dev/outbox?to=${encodeURIComponent(to)}${channel ? `&channel=${channel}` : ''}` });
    const messages = (res.json() as { messages: { body: string }[] }).messages;
    for (const m of messages) {
      const code = /\b(\d{6})\b/.exec(m.body)?.[1];
      if (code) return code;
    }
    if (tries >= 50) throw new Error(`no code sent to ${to}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function messagesTo(t: TestKonpay, to: string): Promise<{ channel: string; subject: string | null; body: string }[]> {
  await drainOutbox(t);
  const res = await t.konpay.app.inject({ method: 'GET', url: `/dev/outbox?to=${encodeURIComponent(to)}&limit=500` });
  return (res.json() as { messages: { channel: string; subject: string | null; body: string }[] }).messages;
}

export interface SignedUp {
  email: string;
  phone: string;
  phoneE164: string;
  password: string;
  userId: string;
  token: string;
  deviceCredential: string;
}

/** Signs a new customer up through the API; returns their bearer session and device credential. */
export async function signUp(t: TestKonpay, who = newCustomer()): Promise<SignedUp> {
  const start = await t.konpay.app.inject({ method: 'POST', url: '/v1/signup', payload: { email: who.email, phone: who.phone, password: who.password, locale: 'en' } });
  expect(start.statusCode, start.body).toBe(202);
  const { flowId } = start.json() as { flowId: string };
  const emailCode = await latestCode(t, who.email);
  const smsCode = await latestCode(t, who.phoneE164);
  const done = await t.konpay.app.inject({ method: 'POST', url: `/v1/signup/${flowId}/verify`, payload: { emailCode, smsCode, deviceLabel: 'Test phone' } });
  expect(done.statusCode, done.body).toBe(201);
  const body = done.json() as { userId: string; session: { token: string }; deviceCredential: string };
  return { ...who, userId: body.userId, token: body.session.token, deviceCredential: body.deviceCredential };
}

export function bearer(token: string) {
  return { authorization: `Bearer ${token}` };
}
