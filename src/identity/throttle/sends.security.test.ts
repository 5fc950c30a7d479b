/**
 * Attack: SMS and mail bombing, and SMS pumping (ID-3). Someone makes Konpay send code
 * after code to a victim's number (or to premium numbers they are paid for) by starting
 * sign-ups, asking for resends and login codes. Each destination and each client
 * address has an hourly budget; the limit ends by itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestCode, messagesTo, newCustomer, signUp } from '../../../test/harness/customer.js';
import { startTestKonpay, type TestKonpay } from '../../../test/harness/konpay.js';
import { ManualClock } from '../../shared/clock.js';

const HOUR = 3_600_000;
let t: TestKonpay;
const clock = new ManualClock();
beforeAll(async () => {
  t = await startTestKonpay({ CODE_SENDS_PER_IP_PER_HOUR: '8' }, { worker: false, clock });
});
afterAll(() => t.stop());

let ipSeq = 0;
const freshIp = () => `192.0.2.${++ipSeq}`;
const post = (url: string, payload: object | undefined, ip: string) =>
  t.konpay.app.inject({ method: 'POST', url, remoteAddress: ip, ...(payload ? { payload } : {}) });
const startSignup = (phone: string, ip = freshIp()) => {
  const c = newCustomer('s');
  return post('/v1/signup', { email: c.email, phone, password: c.password }, ip);
};
/** What a stranger can compare between two answers. */
const visible = (r: Awaited<ReturnType<typeof post>>) => ({ status: r.statusCode, code: (r.json() as { code?: string }).code, retryAfter: r.headers['retry-after'] });

describe('code-send budgets', () => {
  it('limits codes to one number per hour, alike for a registered number and a new one', async () => {
    const owner = await signUp(t);
    clock.advance(HOUR);
    const fresh = newCustomer('n');
    const answers: Record<'registered' | 'fresh', ReturnType<typeof visible>[]> = { registered: [], fresh: [] };
    for (let i = 0; i < 6; i++) {
      answers.registered.push(visible(await startSignup(owner.phone)));
      answers.fresh.push(visible(await startSignup(fresh.phone)));
    }
    expect(answers.registered.map((a) => a.status)).toEqual([202, 202, 202, 202, 202, 429]);
    expect(answers.fresh).toEqual(answers.registered);
    expect(answers.fresh[5]).toMatchObject({ code: 'code_send_limit', retryAfter: '3600' });
    // Five SMS in the hour: the owner's notices, the stranger's codes.
    expect((await messagesTo(t, owner.phoneE164)).filter((m) => m.channel === 'sms')).toHaveLength(1 + 5);
    expect(await messagesTo(t, fresh.phoneE164)).toHaveLength(5);

    clock.advance(HOUR);
    expect((await startSignup(fresh.phone)).statusCode).toBe(202);
  });

  it('spends no budget on a resend refused as too soon', async () => {
    const c = newCustomer('r');
    const start = await post('/v1/signup', { email: c.email, phone: c.phone, password: c.password }, freshIp());
    const { flowId } = start.json() as { flowId: string };
    const resend = () => post(`/v1/signup/${flowId}/resend`, { channel: 'sms' }, freshIp());
    for (let i = 0; i < 3; i++) expect((await resend()).json()).toMatchObject({ code: 'resend_too_soon' });
    for (let i = 0; i < 4; i++) {
      clock.advance(31_000);
      expect((await resend()).statusCode).toBe(202);
    }
    // 1 + 4 codes sent: the number's hour is spent, whichever flow asks next.
    const other = await startSignup(c.phone);
    expect(other.json()).toMatchObject({ code: 'code_send_limit' });
  });

  it('limits the login SMS to one phone per hour too', async () => {
    const owner = await signUp(t);
    clock.advance(HOUR);
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) {
      const ip = freshIp();
      const login = await post('/v1/login', { identifier: owner.email, password: owner.password }, ip);
      expect(login.statusCode).toBe(202);
      codes.push((await post(`/v1/login/${(login.json() as { flowId: string }).flowId}/sms`, undefined, ip)).statusCode);
    }
    expect(codes).toEqual([202, 202, 202, 202, 202, 429]);
    expect(await latestCode(t, owner.phoneE164, 'sms')).toMatch(/^\d{6}$/);
  });

  it('limits the codes one address (an IPv6 /64) may ask for per hour', async () => {
    const answers: number[] = [];
    // 8 messages an hour: four sign-ups of an e-mail and an SMS each, from anywhere in the /64.
    for (let i = 0; i < 5; i++) answers.push((await startSignup(newCustomer('v').phone, `2001:db8:5e:1::${i + 1}`)).statusCode);
    expect(answers).toEqual([202, 202, 202, 202, 429]);
    const limited = await startSignup(newCustomer('v').phone, '2001:db8:5e:1:ffff::1');
    expect(limited.json()).toMatchObject({ code: 'code_send_limit' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await startSignup(newCustomer('v').phone, '2001:db8:5e:2::1')).statusCode).toBe(202);
  });
});
