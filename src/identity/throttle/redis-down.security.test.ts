/**
 * Attack: waiting for the throttle's Redis to go away, to stuff credentials unchecked.
 * With the counters unreachable a sign-in is refused `503 service_unavailable` with
 * `Retry-After` (never let through, never a 500), the password is not even checked, and
 * the outage is logged as an error for operators.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newCustomer } from '../../../test/harness/customer.js';
import { startTestKonpay, type TestKonpay } from '../../../test/harness/konpay.js';

let t: TestKonpay;
beforeAll(async () => {
  // Nothing listens on port 1: every counter operation fails as in an outage.
  t = await startTestKonpay({ REDIS_URL: 'redis://127.0.0.1:1' }, { worker: false, redisPrefix: 'konpay:test:down:' });
});
afterAll(() => t?.stop());

it('refuses sign-in with a retryable 503 while the counters are unreachable, and logs the outage', async () => {
  const who = newCustomer('down');
  const res = await t.konpay.app.inject({ method: 'POST', url: '/v1/login', payload: { identifier: who.email, password: who.password } });
  expect(res.statusCode).toBe(503);
  expect(res.headers['retry-after']).toBe('5');
  expect(res.json()).toMatchObject({ code: 'service_unavailable', status: 503 });
  expect(t.logs.text).toMatch(/"level":50.*throttle counters \(Redis\) is unavailable/);
});

it('refuses to send sign-up codes while the per-address budgets cannot be counted', async () => {
  const who = newCustomer('down2');
  const res = await t.konpay.app.inject({ method: 'POST', url: '/v1/signup', payload: { email: who.email, phone: who.phone, password: who.password, locale: 'en' } });
  expect(res.statusCode).toBe(503);
  expect(res.json()).toMatchObject({ code: 'service_unavailable' });
  const sent = await t.konpay.pool.query(`SELECT count(*)::int AS n FROM outbox`);
  expect(sent.rows[0].n).toBe(0);
});
