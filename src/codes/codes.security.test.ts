/**
 * Attacks on payment codes and the app unlock (PAY-1, PAY-5): a screenshot of a used,
 * expired or superseded code shown again, guessing the app PIN, a code from a stolen
 * session on another customer's device or after the phone was signed out, and codes
 * leaking through logs or the database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeRequest, consume, issue, newPayer, pinRequest, unlockAndIssue, unlockRequest, PIN } from '../../test/harness/codes.js';
import { bearer, messagesTo } from '../../test/harness/customer.js';
import { addPasskey, api } from '../../test/harness/factors.js';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import type { RequestOptionsLike } from '../../test/harness/webauthn.js';
import { ManualClock } from '../shared/clock.js';
import { sha256 } from '../shared/crypto.js';
import { toPublicId } from '../shared/ids.js';

let t: TestKonpay;
const clock = new ManualClock('2026-01-05T09:00:00Z');
const issued: string[] = [];
beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false, clock });
});
afterAll(() => t.stop());

async function code(who: Parameters<typeof issue>[1], unlock = true): Promise<string> {
  const c = unlock ? (await unlockAndIssue(t, who)).code : (await issue(t, who)).code;
  issued.push(c);
  return c;
}

describe('screenshot replay', () => {
  it('declines a used code shown again', async () => {
    const who = await newPayer(t);
    const c = await code(who);
    expect(await consume(t, c, clock.now())).toMatchObject({ kind: 'ok' });
    clock.advance(10_000);
    expect(await consume(t, c, clock.now())).toEqual({ kind: 'used' });
  });

  it('declines an expired code never used', async () => {
    const who = await newPayer(t);
    const c = await code(who);
    clock.advance(5 * 60_000);
    expect(await consume(t, c, clock.now())).toEqual({ kind: 'expired' });
  });

  it('declines an old screenshot once the app has moved on to a newer code', async () => {
    const who = await newPayer(t);
    const old = await code(who);
    clock.advance(60_000); // the app refreshes
    const fresh = await code(who, false);
    expect(await consume(t, old, clock.now())).toEqual({ kind: 'superseded' });
    expect(await consume(t, fresh, clock.now())).toMatchObject({ kind: 'ok' });
  });

  it('declines a code of a phone signed out since (lost phone)', async () => {
    const who = await newPayer(t);
    const c = await code(who);
    const out = await api(t)('DELETE', `/v1/me/devices/${toPublicId('dev', who.deviceId)}`, undefined, bearer(who.token));
    expect(out.statusCode, out.body).toBe(204);
    expect(await consume(t, c, clock.now())).toEqual({ kind: 'revoked' });
  });
});

describe('PIN brute force', () => {
  it('disables the PIN after 5 wrong tries in a row and tells the customer; only a passkey or a new PIN unlocks then', async () => {
    const who = await newPayer(t);
    const authr = await addPasskey(t, who);
    const guesses = ['1357', '2468', '1470', '3690', '1590'];
    const answers = [];
    for (const pin of guesses) answers.push((await unlockRequest(t, who.token, { method: 'pin', pin })).json());
    expect(answers.slice(0, 4).map((a) => a.remaining)).toEqual([4, 3, 2, 1]);
    expect(answers[4]).toMatchObject({ status: 423, code: 'pin_locked' });
    // The right PIN no longer helps: the hash is gone.
    expect((await unlockRequest(t, who.token, { method: 'pin', pin: PIN })).json()).toMatchObject({ status: 423, code: 'pin_locked' });
    expect((await t.db.pool.query(`SELECT pin_hash, disabled_at FROM device_pins WHERE device_id = $1`, [who.deviceId])).rows[0]).toMatchObject({ pin_hash: null });
    expect((await codeRequest(t, who.token)).json()).toMatchObject({ code: 'unlock_required' });

    const events = await t.db.pool.query(`SELECT kind FROM security_events WHERE user_id = $1 AND kind = 'app_pin_locked'`, [who.uid]);
    expect(events.rowCount).toBe(1);
    const mail = (await messagesTo(t, who.email)).filter((m) => m.channel === 'email' && m.subject?.includes('app PIN was disabled'));
    expect(mail).toHaveLength(1);
    expect(mail[0]!.body).toContain('5 wrong PINs in a row');

    // A passkey still unlocks.
    const opts = await api(t)('POST', '/v1/unlock/passkey/options', undefined, bearer(who.token));
    const { flowId, options } = opts.json() as { flowId: string; options: RequestOptionsLike };
    expect((await unlockRequest(t, who.token, { method: 'passkey', flowId, response: authr.authenticate(options) })).statusCode).toBe(200);
    // A new PIN, from a privileged session (the sign-in is still recent), brings the PIN back.
    expect((await pinRequest(t, who.token, '8052')).statusCode).toBe(204);
    expect((await unlockRequest(t, who.token, { method: 'pin', pin: '8052' })).statusCode).toBe(200);
  });

  it('counts concurrent guesses exactly: ten at once cannot get past five', async () => {
    const who = await newPayer(t);
    const wrong = ['1357', '2468', '1470', '3690', '1590', '7531', '8642', '0741', '0963', '0951'];
    const answers = await Promise.all(wrong.map((pin) => unlockRequest(t, who.token, { method: 'pin', pin })));
    const codes = answers.map((a) => (a.json() as { code: string }).code).sort();
    expect(codes.filter((c) => c === 'pin_wrong')).toHaveLength(4);
    expect(codes.filter((c) => c === 'pin_locked')).toHaveLength(6);
    const row = (await t.db.pool.query(`SELECT failures FROM device_pins WHERE device_id = $1`, [who.deviceId])).rows[0];
    expect(row).toEqual({ failures: 5 });
  });
});

describe('another customer’s device', () => {
  it('a session of customer B presenting A’s device credential makes codes for B’s own device only', async () => {
    const a = await newPayer(t);
    const b = await newPayer(t);
    await unlockRequest(t, b.token, { method: 'pin', pin: PIN });
    const res = await t.konpay.app.inject({ method: 'POST', url: '/v1/payment-codes', headers: { ...bearer(b.token), 'x-konpay-device': a.deviceCredential } });
    expect(res.statusCode).toBe(201);
    const c = (res.json() as { code: string }).code;
    issued.push(c);
    expect(await consume(t, c, clock.now())).toMatchObject({ kind: 'ok', userId: b.uid, deviceId: b.deviceId });
  });

  it('a session of B bound to A’s device can neither unlock nor make a code', async () => {
    const a = await newPayer(t);
    const b = await newPayer(t);
    // A session row naming B but A's device: whatever made it, it must not pay from A's phone.
    const s = await t.konpay.identity.sessions.issue(t.konpay.pool, b.uid, a.deviceId, 'bearer', { ip: null, userAgent: null }, clock.now());
    expect((await unlockRequest(t, s.token, { method: 'pin', pin: PIN })).json()).toMatchObject({ status: 403, code: 'device_required' });
    // Even with an unlock recorded for it, no code is made on a device that is not B's.
    await t.db.pool.query(`INSERT INTO session_unlocks (session_id, user_id, device_id, method, unlocked_at) VALUES ($1, $2, $3, 'pin', $4)`, [s.sessionId, b.uid, a.deviceId, clock.now()]);
    expect((await codeRequest(t, s.token)).json()).toMatchObject({ status: 403, code: 'device_required' });
    expect((await pinRequest(t, s.token, '8052')).json()).toMatchObject({ status: 403, code: 'device_required' });
    const pins = await t.db.pool.query(`SELECT user_id FROM device_pins WHERE device_id = $1`, [a.deviceId]);
    expect(pins.rows).toEqual([{ user_id: a.uid }]);
  });

  it('an unlock of one session does not unlock another session of the same device', async () => {
    const who = await newPayer(t);
    const other = await t.konpay.identity.sessions.issue(t.konpay.pool, who.uid, who.deviceId, 'bearer', { ip: null, userAgent: null }, clock.now());
    await unlockRequest(t, who.token, { method: 'pin', pin: PIN });
    expect((await codeRequest(t, other.token)).json()).toMatchObject({ code: 'unlock_required' });
  });
});

describe('secrecy of codes and PINs', () => {
  it('never writes a code to the logs or a PIN field', async () => {
    const who = await newPayer(t);
    await code(who);
    await unlockRequest(t, who.token, { method: 'pin', pin: '1357' });
    expect(issued.length).toBeGreaterThan(5);
    const logs = t.logs.text;
    for (const c of issued) expect(logs).not.toContain(c);
    expect(logs).not.toMatch(/"pin"\s*:/);
  });

  it('stores only a keyed digest: neither the code nor its plain hash is in the table', async () => {
    const rows = (await t.db.pool.query<{ row: string; digest: Buffer }>(`SELECT row_to_json(c)::text AS row, c.code_digest AS digest FROM payment_codes c`)).rows;
    expect(rows.length).toBeGreaterThanOrEqual(issued.length);
    const all = rows.map((r) => r.row).join('\n');
    const digests = new Set(rows.map((r) => r.digest.toString('hex')));
    for (const c of issued) {
      expect(all).not.toContain(c);
      expect(all).not.toContain(c.slice(2)); // not even the random part
      expect(digests.has(sha256(c).toString('hex'))).toBe(false);
    }
  });
});
