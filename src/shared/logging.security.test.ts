/**
 * Attack: secrets leaking into logs. Log files are read by many people and shipped to
 * other systems; a password, one-time code, session token, server key or card number
 * written there is a breach waiting to happen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import { makeScrubber, REDACTED } from './redact.js';

const SECRETS = {
  password: 'correct horse battery staple 42',
  otp: '493817',
  token: 'ses_8f14e45fceea167a5a36dedd4bea2543',
  pan: '4111 1111 1111 1111',
  panCompact: '5555555555554444',
  cvc: '7319', // four digits, as on some cards: three would turn up inside request ids and timings by chance
  recovery: 'rc-7Hq2-Lm9x',
};

let t: TestKonpay;
beforeAll(async () => {
  t = await startTestKonpay({ LOG_LEVEL: 'trace' }, {
    routes: [async (app) => {
      // A careless handler that logs everything it got, then fails with the input in the message.
      app.post('/__test/careless', async (req) => {
        req.log.info({ body: req.body, headers: req.headers, query: req.query }, 'got request');
        const body = req.body as { cardNumber?: string };
        throw new Error(`card ${body.cardNumber} declined for ${req.headers.authorization}`);
      });
    }],
  });
});
afterAll(() => t.stop());

describe('logs never carry secrets', () => {
  it('scrubs passwords, codes, tokens and card numbers from requests, handlers and errors', async () => {
    const res = await t.konpay.app.inject({
      method: 'POST',
      url: `/__test/careless?token=${SECRETS.token}&code=${SECRETS.otp}&next=/home`,
      headers: { authorization: `Bearer ${SECRETS.token}`, cookie: `konpay_session=${SECRETS.token}`, 'x-api-key': SECRETS.token },
      payload: {
        email: 'hanako@example.jp',
        password: SECRETS.password,
        newPassword: SECRETS.password,
        code: SECRETS.otp,
        smsCode: SECRETS.otp,
        recoveryCode: SECRETS.recovery,
        cardNumber: SECRETS.pan,
        card: { number: SECRETS.panCompact, cvc: SECRETS.cvc },
        note: `my card is ${SECRETS.panCompact}`,
      },
    });
    expect(res.statusCode).toBe(500);
    const text = t.logs.text;
    expect(text).toContain('got request'); // the careless line was written…
    expect(text).toContain('hanako@example.jp'); // …with its harmless parts
    for (const [name, value] of Object.entries(SECRETS)) {
      // As a value of its own, not as a run inside a random id (a hex request id can hold "7319").
      const alone = new RegExp(`(?<![0-9A-Za-z])${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![0-9A-Za-z])`);
      expect(text, `${name} leaked into the log`).not.toMatch(alone);
    }
    expect(text).not.toContain(SECRETS.pan.replace(/ /g, ''));
    expect(text).toContain(REDACTED);
  });

  it('never writes the server keys, even when the whole configuration is logged', async () => {
    t.konpay.logger.info({ config: t.config }, 'configuration dump');
    t.konpay.logger.warn(`pepper is ${t.config.secrets.passwordPepper}`);
    const text = t.logs.text;
    expect(text).toContain('configuration dump');
    for (const secret of [t.config.secrets.passwordPepper, t.config.secrets.signingKey, t.config.secrets.encryptionKey]) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('scrubber', () => {
  const scrub = makeScrubber(['server-side-secret-value']);

  it('redacts secret keys at any depth and in arrays', () => {
    const out = scrub({ a: { b: { c: [{ password: 'x', otp: '1', ok: 'y' }] } }, Authorization: 'Basic abc', set_cookie: 'sid=1' });
    expect(out).toEqual({ a: { b: { c: [{ password: REDACTED, otp: REDACTED, ok: 'y' }] } }, Authorization: REDACTED, set_cookie: REDACTED });
  });

  it('keeps error codes readable but hides digit codes', () => {
    expect(scrub({ code: 'validation_failed' })).toEqual({ code: 'validation_failed' });
    expect(scrub({ code: '123456' })).toEqual({ code: REDACTED });
  });

  it('replaces only Luhn-valid card numbers, leaving other digit runs alone', () => {
    expect(scrub('pan 4242-4242-4242-4242 order 1234567890123')).toBe('pan [CARD] order 1234567890123');
  });

  it('removes known secret values, bearer credentials and secret query parameters from strings', () => {
    expect(scrub('key=server-side-secret-value; Bearer abc.def')).toBe(`key=${REDACTED}; Bearer ${REDACTED}`);
    expect(scrub('/reset?token=abc&lang=ja')).toBe(`/reset?token=${REDACTED}&lang=ja`);
  });

  it('survives cycles and deep nesting', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    expect(scrub(a)).toEqual({ name: 'a', self: '[CIRCULAR]' });
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 50; i++) deep = (deep.next = {}) as Record<string, unknown>;
    expect(JSON.stringify(scrub(root))).toContain('[DEPTH]');
  });
});
