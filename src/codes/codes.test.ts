/** Making payment codes (PAY-1) and what a till gets for them (PAY-5). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeRequest, consume, issue, newPayer, peek, unlockAndIssue, unlockRequest, PIN } from '../../test/harness/codes.js';
import { bearer } from '../../test/harness/customer.js';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import { ManualClock } from '../shared/clock.js';
import { CODE_ENTROPY_BITS } from './format.js';
import { code128Svg, qrSvg } from './render.js';

let t: TestKonpay;
const clock = new ManualClock('2026-01-05T09:00:00Z');
beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false, clock });
});
afterAll(() => t.stop());

describe('POST /v1/payment-codes', () => {
  it('answers a code, its expiry and refresh time, a Code 128 and a QR code of exactly that code', async () => {
    const who = await newPayer(t);
    await unlockRequest(t, who.token, { method: 'pin', pin: PIN });
    const res = await codeRequest(t, who.token);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json() as { code: string; expiresAt: string; refreshAt: string; barcodeSvg: string; qrSvg: string };
    const now = clock.now().getTime();
    expect(body.expiresAt).toBe(new Date(now + 300_000).toISOString());
    expect(body.refreshAt).toBe(new Date(now + 60_000).toISOString());
    expect(body.barcodeSvg).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s\S]*<\/svg>\s*$/);
    expect(body.qrSvg).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s\S]*<\/svg>\s*$/);
    // Both drawings are deterministic: the libraries draw exactly this code, and no other.
    expect(body.barcodeSvg).toBe(code128Svg(body.code));
    expect(body.qrSvg).toBe(await qrSvg(body.code));
    expect(body.qrSvg).not.toBe(await qrSvg(`${body.code.slice(0, -1)}${(Number(body.code.at(-1)) + 1) % 10}`));
  });

  it('makes codes of the issuer prefix and 18 random digits, with no personal data in them', async () => {
    const who = await newPayer(t);
    await unlockRequest(t, who.token, { method: 'pin', pin: PIN });
    const codes: string[] = [];
    for (let i = 0; i < 10; i++) codes.push((await issue(t, who)).code);
    expect(CODE_ENTROPY_BITS).toBeGreaterThanOrEqual(50);
    expect(new Set(codes).size).toBe(codes.length);
    // No run of 8 digits from the phone number or the account id (chance alone: about 1 in 10^5 here).
    const personal = [who.phoneE164, who.phone, who.uid].map((s) => s.replace(/\D/g, ''));
    const runs = personal.flatMap((digits) => Array.from({ length: Math.max(0, digits.length - 7) }, (_, i) => digits.slice(i, i + 8)));
    expect(runs.length).toBeGreaterThan(0);
    for (const code of codes) {
      expect(code).toMatch(/^99\d{18}$/);
      for (const run of runs) expect(code).not.toContain(run);
    }
  });

  it('refuses without an unlock, with the window in the problem', async () => {
    const who = await newPayer(t);
    const res = await codeRequest(t, who.token);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'unlock_required', windowSeconds: 300 });
  });

  it('refuses once the unlock is older than 5 minutes', async () => {
    const who = await newPayer(t);
    await unlockRequest(t, who.token, { method: 'pin', pin: PIN });
    clock.advance(300_000);
    await issue(t, who); // exactly at the end of the window: still open
    clock.advance(1000);
    expect((await codeRequest(t, who.token)).json()).toMatchObject({ status: 403, code: 'unlock_required' });
    await unlockRequest(t, who.token, { method: 'pin', pin: PIN });
    await issue(t, who);
  });

  it('refuses a session that is not bound to a remembered device', async () => {
    const who = await newPayer(t);
    const s = await t.konpay.identity.sessions.issue(t.konpay.pool, who.uid, null, 'bearer', { ip: null, userAgent: null }, clock.now());
    expect((await codeRequest(t, s.token)).json()).toMatchObject({ status: 403, code: 'device_required' });
    expect((await unlockRequest(t, s.token, { method: 'pin', pin: PIN })).json()).toMatchObject({ status: 403, code: 'device_required' });
  });

  it('refuses a frozen account', async () => {
    const who = await newPayer(t);
    await unlockRequest(t, who.token, { method: 'pin', pin: PIN });
    await t.db.pool.query(`UPDATE users SET frozen_at = $2, frozen_reason = 'risk' WHERE id = $1`, [who.uid, clock.now()]);
    expect((await codeRequest(t, who.token)).json()).toMatchObject({ status: 423, code: 'account_frozen' });
  });

  it('needs a session', async () => {
    expect((await t.konpay.app.inject({ method: 'POST', url: '/v1/payment-codes', headers: bearer('kps_nope') })).json()).toMatchObject({ status: 401 });
  });
});

describe('consuming a code at the till', () => {
  it('pays once: ok with the account and device, then used', async () => {
    const who = await newPayer(t);
    const { code } = await unlockAndIssue(t, who);
    expect(await peek(t, code, clock.now())).toMatchObject({ kind: 'ok', userId: who.uid, deviceId: who.deviceId });
    const first = await consume(t, code, clock.now());
    expect(first).toMatchObject({ kind: 'ok', userId: who.uid, deviceId: who.deviceId });
    expect(await consume(t, code, clock.now())).toEqual({ kind: 'used' });
    expect(await peek(t, code, clock.now())).toEqual({ kind: 'used' });
  });

  it('a newer code supersedes the device’s earlier ones', async () => {
    const who = await newPayer(t);
    const a = await unlockAndIssue(t, who);
    clock.advance(60_000);
    const b = await issue(t, who);
    expect(await consume(t, a.code, clock.now())).toEqual({ kind: 'superseded' });
    expect(await consume(t, b.code, clock.now())).toMatchObject({ kind: 'ok' });
  });

  it('expires 5 minutes after it was made', async () => {
    const who = await newPayer(t);
    const a = await unlockAndIssue(t, who);
    const b = await unlockAndIssue(t, await newPayer(t));
    const made = clock.now().getTime();
    expect(await consume(t, a.code, new Date(made + 299_999))).toMatchObject({ kind: 'ok' });
    expect(await consume(t, b.code, new Date(made + 300_000))).toEqual({ kind: 'expired' });
  });

  it('answers unknown for a code never made, or of the wrong shape, without looking it up', async () => {
    expect(await consume(t, '99000000000000000000', clock.now())).toEqual({ kind: 'unknown' });
    expect(await consume(t, "99' OR 1=1 --", clock.now())).toEqual({ kind: 'unknown' });
    expect(await consume(t, '12345678901234567890', clock.now())).toEqual({ kind: 'unknown' });
  });
});
