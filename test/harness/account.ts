/** Driving recovery, re-authentication, contact changes and freeze links as a customer would. */
import { expect } from 'vitest';
import { bearer, latestCode, type SignedUp, drainOutbox } from './customer.js';
import type { TestKonpay } from './konpay.js';

export type Method = 'GET' | 'POST' | 'DELETE';

export function api(t: TestKonpay) {
  return (method: Method, url: string, payload?: object, headers: Record<string, string> = {}) =>
    t.konpay.app.inject({ method, url, ...(payload ? { payload } : {}), headers });
}

export interface OutboxMessage { channel: string; to: string; subject: string | null; body: string; meta: Record<string, unknown> }

/** Delivers what is queued and returns every message the dev outbox holds, newest first. */
export async function allMessages(t: TestKonpay): Promise<OutboxMessage[]> {
  await drainOutbox(t);
  const res = await t.konpay.app.inject({ method: 'GET', url: '/dev/outbox?limit=500' });
  return (res.json() as { messages: OutboxMessage[] }).messages;
}

const FREEZE_TOKEN = /token=(kpf_[0-9a-f]{32}\.[A-Za-z0-9_-]{43})/;

/** The freeze token in a message, or undefined. */
export function freezeTokenIn(text: string): string | undefined {
  return FREEZE_TOKEN.exec(text)?.[1];
}

/** Re-authenticates with the password; returns the new bearer token. */
export async function reauthenticate(t: TestKonpay, token: string, password: string): Promise<string> {
  const res = await api(t)('POST', '/v1/me/reauthenticate', { password }, bearer(token));
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { session: { token: string } }).session.token;
}

/** Starts recovery and proves the e-mail code; returns the flow id. */
export async function recoveryWithEmailProven(t: TestKonpay, who: SignedUp): Promise<string> {
  const call = api(t);
  const start = await call('POST', '/v1/recovery', { identifier: who.email });
  expect(start.statusCode, start.body).toBe(202);
  const { flowId } = start.json() as { flowId: string };
  const email = await call('POST', `/v1/recovery/${flowId}/email`, { code: await latestCode(t, who.email, 'email') });
  expect(email.statusCode, email.body).toBe(200);
  return flowId;
}

/** Full recovery by e-mail and SMS; returns the new session token and device credential. */
export async function recoverBySms(t: TestKonpay, who: SignedUp, newPassword: string): Promise<{ token: string; deviceCredential: string }> {
  const call = api(t);
  const flowId = await recoveryWithEmailProven(t, who);
  expect((await call('POST', `/v1/recovery/${flowId}/sms`)).statusCode).toBe(202);
  const code = await latestCode(t, who.phoneE164, 'sms');
  const done = await call('POST', `/v1/recovery/${flowId}/complete`, { method: 'sms', code, newPassword, deviceLabel: 'Recovered phone' });
  expect(done.statusCode, done.body).toBe(200);
  const body = done.json() as { session: { token: string }; deviceCredential: string };
  return { token: body.session.token, deviceCredential: body.deviceCredential };
}
