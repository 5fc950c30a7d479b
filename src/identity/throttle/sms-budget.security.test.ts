/**
 * Attack: SMS pumping from many addresses to many numbers, where each address and each
 * number stays within its own budget. The service-wide SMS budget caps what it can cost:
 * past it no SMS code goes out until the hour's window ends, and operators see an error.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newCustomer } from '../../../test/harness/customer.js';
import { startTestKonpay, type TestKonpay } from '../../../test/harness/konpay.js';
import { ManualClock } from '../../shared/clock.js';

const HOUR = 3_600_000;
let t: TestKonpay;
const clock = new ManualClock();
beforeAll(async () => {
  t = await startTestKonpay({ SMS_SENDS_PER_HOUR: '3' }, { worker: false, clock });
});
afterAll(() => t?.stop());

let ipSeq = 0;
/** A sign-up from an address and to a number never seen before: within every per-client budget. */
const startSignup = () => {
  const c = newCustomer('pump');
  return t.konpay.app.inject({ method: 'POST', url: '/v1/signup', remoteAddress: `198.51.100.${++ipSeq}`, payload: { email: c.email, phone: c.phone, password: c.password } });
};
const smsQueued = async () => (await t.konpay.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE topic = 'notify.sms'`)).rows[0]!.n;

it('stops every SMS once the service-wide hourly budget is used, says so to operators, and starts again after the hour', async () => {
  const answers: number[] = [];
  for (let i = 0; i < 5; i++) answers.push((await startSignup()).statusCode);
  expect(answers).toEqual([202, 202, 202, 429, 429]);
  expect(await smsQueued()).toBe(3);
  expect(t.logs.text).toMatch(/"level":50.*service-wide SMS budget is used up/);

  clock.advance(HOUR + 1000);
  expect((await startSignup()).statusCode).toBe(202);
  expect(await smsQueued()).toBe(4);
});
