/**
 * Attack: user enumeration (ID-6). If sign-up or login answered differently, or worked
 * differently, for registered identifiers, an attacker could sort a leaked list into
 * "has a Konpay account" and "has not" before stuffing passwords. Time is compared by the
 * work done (password-hash calls through the injected hasher), not by a stopwatch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCustomer, signUp } from '../../test/harness/customer.js';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import { argon2Hasher, type PasswordHasher } from './password.js';

const calls = { hash: 0, verify: 0 };
const real = argon2Hasher(Buffer.alloc(32, 7), { memoryKib: 1024, iterations: 1, parallelism: 1 });
const counting: PasswordHasher = {
  hash: (p) => { calls.hash++; return real.hash(p); },
  verify: (h, p) => { calls.verify++; return real.verify(h, p); },
};

let t: TestKonpay;
beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false, hasher: counting });
});
afterAll(() => t.stop());

/** The parts of a response an attacker can compare, minus the ids that differ per request by design. */
function observable(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }) {
  const body = res.json() as Record<string, unknown>;
  return {
    status: res.statusCode,
    contentType: res.headers['content-type'],
    keys: Object.keys(body).sort(),
    body: { ...body, requestId: undefined, flowId: undefined, expiresAt: undefined },
  };
}

async function measure(fn: () => Promise<unknown>) {
  calls.hash = 0;
  calls.verify = 0;
  const out = await fn();
  return { out, work: { ...calls } };
}

describe('no user enumeration', () => {
  it('sign-up answers a registered e-mail and phone exactly like new ones, after the same work', async () => {
    const existing = await signUp(t);
    const fresh = newCustomer();
    const taken = await measure(() => t.konpay.app.inject({ method: 'POST', url: '/v1/signup', payload: { email: existing.email, phone: existing.phone, password: fresh.password } }));
    const unused = await measure(() => t.konpay.app.inject({ method: 'POST', url: '/v1/signup', payload: { email: fresh.email, phone: fresh.phone, password: fresh.password } }));
    expect(observable(taken.out as never)).toEqual(observable(unused.out as never));
    expect(taken.work).toEqual(unused.work);
    expect(taken.work.hash).toBe(1);
  });

  it('sign-up resends answer a registered destination exactly like a new one', async () => {
    const existing = await signUp(t);
    const fresh = newCustomer();
    const start = async (email: string, phone: string) => {
      const r = await t.konpay.app.inject({ method: 'POST', url: '/v1/signup', payload: { email, phone, password: fresh.password } });
      return (r.json() as { flowId: string }).flowId;
    };
    const takenFlow = await start(existing.email, existing.phone);
    const newFlow = await start(fresh.email, fresh.phone);
    for (const channel of ['email', 'sms']) {
      const taken = await t.konpay.app.inject({ method: 'POST', url: `/v1/signup/${takenFlow}/resend`, payload: { channel } });
      const unused = await t.konpay.app.inject({ method: 'POST', url: `/v1/signup/${newFlow}/resend`, payload: { channel } });
      expect(observable(taken)).toEqual(observable(unused));
      expect(taken.statusCode).toBe(429); // too soon, for both
      expect(taken.headers['retry-after']).toBe(unused.headers['retry-after']);
    }
  });

  it('login answers an unknown identifier exactly like a wrong password, after one password verification each', async () => {
    const s = await signUp(t);
    const wrong = await measure(() => t.konpay.app.inject({ method: 'POST', url: '/v1/login', payload: { identifier: s.email, password: 'a wrong guess, long enough' } }));
    const unknownEmail = await measure(() => t.konpay.app.inject({ method: 'POST', url: '/v1/login', payload: { identifier: 'no-account@example.jp', password: 'a wrong guess, long enough' } }));
    const unknownPhone = await measure(() => t.konpay.app.inject({ method: 'POST', url: '/v1/login', payload: { identifier: '090-9999-0000', password: 'a wrong guess, long enough' } }));
    const garbage = await measure(() => t.konpay.app.inject({ method: 'POST', url: '/v1/login', payload: { identifier: 'neither', password: 'a wrong guess, long enough' } }));
    for (const other of [unknownEmail, unknownPhone, garbage]) {
      expect(observable(other.out as never)).toEqual(observable(wrong.out as never));
      expect(other.work).toEqual({ hash: 0, verify: 1 });
    }
    expect(wrong.work).toEqual({ hash: 0, verify: 1 });
  });
});
