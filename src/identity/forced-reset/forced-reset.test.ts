/**
 * Forced password resets (the service, in process): a crash mid-run and the resume touch
 * every account exactly once, and a session of an account that must reset can do nothing
 * but replace its password until it does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, recoverBySms, reauthenticate } from '../../../test/harness/account.js';
import { bearer, signUp } from '../../../test/harness/customer.js';
import { startTestKonpay, type TestKonpay } from '../../../test/harness/konpay.js';
import type { Notifier } from '../../notify/notifier.js';
import { ManualClock } from '../../shared/clock.js';
import { driveForcedReset, runBatch, startForcedReset, type ForcedResetDeps } from './service.js';

const clock = new ManualClock(new Date());
let t: TestKonpay;
let call: ReturnType<typeof api>;
let deps: ForcedResetDeps;
beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false, clock });
  call = api(t);
  deps = { pool: t.konpay.pool, clock, notifier: t.konpay.notifier, publicUrl: t.config.http.publicUrl };
});
afterAll(() => t.stop());

/** `n` accounts straight in SQL (no sign-up flow), each with one live session. */
async function seed(n: number, tag: string, phonePrefix: string): Promise<void> {
  await t.konpay.pool.query(
    `INSERT INTO users (id, email, email_verified_at, phone, phone_verified_at, password_hash, password_changed_at, locale, created_at)
     SELECT gen_random_uuid(), $1::text || i || '@example.jp', $2::timestamptz, '+8170' || $3 || lpad(i::text, 5, '0'), $2, 'x', $2,
            CASE WHEN i % 2 = 0 THEN 'ja' ELSE 'en' END, $2::timestamptz - interval '1 day'
       FROM generate_series(1, $4::int) i`,
    [tag, clock.now(), phonePrefix, n],
  );
  await t.konpay.pool.query(
    `INSERT INTO sessions (id, user_id, token_hash, transport, created_at, authenticated_at, last_seen_at, expires_at)
     SELECT gen_random_uuid(), id, gen_random_uuid()::text::bytea, 'bearer', $1::timestamptz, $1, $1, $1::timestamptz + interval '1 day'
       FROM users WHERE email LIKE $2`,
    [clock.now(), `${tag}%`],
  );
}

const count = async (sql: string, values: unknown[] = []) => Number((await t.konpay.pool.query<{ n: string }>(sql, values)).rows[0]!.n);

describe('a forced reset that crashes mid-run', () => {
  it('resumes from the last committed batch: every account once, counts right, one notice each', async () => {
    await seed(230, 'crash', '123');
    clock.advance(1_000);
    const users = await count('SELECT count(*) AS n FROM users');
    const started = await startForcedReset(deps, { reason: 'Credential stuffing incident', since: null, startedBy: 'test' });
    if (started.kind !== 'started') throw new Error(started.kind);
    expect(started.run.total).toBe(users);

    expect((await runBatch(deps, started.run.id, 50)).run.processed).toBe(50);
    // The third batch dies after marking and revoking, while queuing its notices: it rolls back whole.
    await runBatch(deps, started.run.id, 50);
    const crashing: Notifier = Object.assign(Object.create(t.konpay.notifier) as Notifier, {
      notifyMany: async () => { throw new Error('process killed'); },
    });
    await expect(runBatch({ ...deps, notifier: crashing }, started.run.id, 50)).rejects.toThrow('process killed');
    expect(await count(`SELECT count(*) AS n FROM users WHERE must_reset_password`)).toBe(100);
    expect(await count(`SELECT count(*) AS n FROM outbox WHERE topic = 'notify.email' AND payload->>'subject' LIKE '%new password%'`)).toBeGreaterThan(0);
    // Sent after every other message: the codes of customers signing in again go first.
    expect(await count(`SELECT count(*) AS n FROM outbox WHERE topic = 'notify.email' AND payload->>'subject' LIKE '%new password%' AND NOT bulk`)).toBe(0);

    // A second process resuming the same run at the same moment queues on the run row.
    const [a, b] = await Promise.all([
      driveForcedReset(deps, started.run.id, { batchSize: 50 }),
      driveForcedReset(deps, started.run.id, { batchSize: 50 }),
    ]);
    expect(a.kind).toBe('completed');
    expect(b.kind).toBe('completed');
    const run = (await runBatch(deps, started.run.id, 50)).run;
    expect(run).toMatchObject({ status: 'completed', total: users, processed: users, noticesQueued: users, sessionsRevoked: 230 });

    expect(await count(`SELECT count(*) AS n FROM users WHERE NOT must_reset_password`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM sessions WHERE revoked_at IS NULL`)).toBe(0);
    // Exactly one event and one notice per account.
    expect(await count(`SELECT count(*) AS n FROM (SELECT user_id FROM security_events WHERE kind = 'password_reset_required' GROUP BY user_id HAVING count(*) = 1) x`)).toBe(users);
    expect(await count(`SELECT count(*) AS n FROM security_events WHERE kind = 'password_reset_required'`)).toBe(users);
    const notices = await t.konpay.pool.query<{ to: string; n: string }>(
      `SELECT payload->>'to' AS to, count(*) AS n FROM outbox WHERE topic = 'notify.email'
          AND (payload->>'subject' LIKE '%new password%' OR payload->>'subject' LIKE '%パスワードの再設定%') GROUP BY 1`,
    );
    expect(notices.rows.length).toBe(users);
    expect(notices.rows.filter((r) => Number(r.n) !== 1)).toEqual([]);
    // The notice carries no link to click.
    const one = await t.konpay.pool.query<{ text: string }>(`SELECT payload->>'text' AS text FROM outbox WHERE payload->>'to' = 'crash1@example.jp'`);
    expect(one.rows.map((r) => r.text).join()).not.toMatch(/https?:\/\//);

    // Running the same command again starts a new run rather than resuming the finished one.
    const again = await startForcedReset(deps, { reason: 'again', since: new Date(clock.now().getTime() + 1), startedBy: 'test' });
    expect(again).toMatchObject({ kind: 'started', run: { total: 0 } });
    expect((await driveForcedReset(deps, again.kind === 'started' ? again.run.id : '', { batchSize: 50 })).run.status).toBe('completed');
  });
});

describe('a session of an account that must reset its password', () => {
  it('is refused money moves and factor changes with password_reset_required until the password is changed', async () => {
    const who = await signUp(t);
    clock.advance(1_000); // the run covers accounts created before it began
    const started = await startForcedReset(deps, { reason: 'Credential stuffing incident', since: new Date(clock.now().getTime() - 60_000), startedBy: 'test' });
    if (started.kind !== 'started') throw new Error(started.kind);
    expect((await driveForcedReset(deps, started.run.id, { batchSize: 10 })).run.processed).toBeGreaterThanOrEqual(1);

    // The old session has ended; the remembered device still signs in with the password.
    expect((await call('GET', '/v1/me', undefined, bearer(who.token))).statusCode).toBe(401);
    const login = await call('POST', '/v1/login', { identifier: who.email, password: who.password }, { 'x-konpay-device': who.deviceCredential });
    expect(login.statusCode, login.body).toBe(200);
    expect(login.json()).toMatchObject({ mustResetPassword: true });
    const token = (login.json() as { session: { token: string } }).session.token;
    const device = { 'x-konpay-device': who.deviceCredential };

    const refused: [string, string, object | undefined, Record<string, string>][] = [
      ['POST', '/v1/payment-codes', undefined, device],
      ['PUT', '/v1/devices/current/pin', { pin: '2580' }, device],
      ['POST', '/v1/topups', { cardId: `crd_${'1'.repeat(32)}`, amount: 1000 }, { 'idempotency-key': 'reset-test-1' }],
      ['GET', '/v1/wallet', undefined, {}],
      ['POST', '/v1/me/factors/totp', undefined, {}],
      ['POST', '/v1/me/email', { newEmail: 'other@example.jp' }, {}],
    ];
    for (const [method, url, payload, headers] of refused) {
      const res = await t.konpay.app.inject({ method: method as 'GET', url, ...(payload ? { payload } : {}), headers: { ...bearer(token), ...headers } });
      expect([url, res.statusCode, (res.json() as { code: string }).code]).toEqual([url, 403, 'password_reset_required']);
    }
    expect((await call('GET', '/v1/me', undefined, bearer(token))).json()).toMatchObject({ mustResetPassword: true });

    const changed = await call('POST', '/v1/me/password', { newPassword: 'a brand new passphrase 2026' }, bearer(token));
    expect(changed.statusCode, changed.body).toBe(200);
    expect((await call('GET', '/v1/me', undefined, bearer(token))).json()).toMatchObject({ mustResetPassword: false });
    expect((await call('GET', '/v1/wallet', undefined, bearer(token))).statusCode).toBe(200);
    const code = await t.konpay.app.inject({ method: 'POST', url: '/v1/payment-codes', headers: { ...bearer(token), ...device } });
    expect((code.json() as { code?: string }).code).not.toBe('password_reset_required');
  });

  it('past the privileged window re-authenticates first; recovery clears the flag too', async () => {
    const who = await signUp(t);
    await t.konpay.pool.query(`UPDATE users SET must_reset_password = true WHERE email = $1`, [who.email]);
    clock.advance(10 * 60_000);
    expect((await call('POST', '/v1/me/password', { newPassword: 'a brand new passphrase 2026' }, bearer(who.token))).json()).toMatchObject({ code: 'reauthentication_required' });
    const fresh = await reauthenticate(t, who.token, who.password);
    expect((await call('POST', '/v1/me/password', { newPassword: 'a brand new passphrase 2026' }, bearer(fresh))).statusCode).toBe(200);

    const other = await signUp(t);
    await t.konpay.pool.query(`UPDATE users SET must_reset_password = true WHERE email = $1`, [other.email]);
    const recovered = await recoverBySms(t, other, 'recovered passphrase 2026 ok');
    expect((await call('GET', '/v1/wallet', undefined, bearer(recovered.token))).statusCode).toBe(200);
  });
});
