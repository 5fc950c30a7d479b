/**
 * `npm run ops -- accounts freeze` and `passwords force-reset|reset-status` against a test
 * server's database, in-process (`main`). The force-reset killed (SIGKILL, as a crash) in
 * mid-run and resumed runs through the real entry point in a child process.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, signUp } from '../../test/harness/customer.js';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import { toPublicId } from '../shared/ids.js';
import { cliTargetOf, runOpsInProcess, startOps, type CliRun } from '../../test/harness/cli.js';

let t: TestKonpay;
let dir: string;

beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false });
  dir = await mkdtemp(join(tmpdir(), 'konpay-accounts-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await t?.stop();
});

function start(...args: string[]): { child: ChildProcess; done: Promise<CliRun> } {
  return startOps(cliTargetOf(t), args);
}
const ops = (...args: string[]): Promise<CliRun> => runOpsInProcess(cliTargetOf(t), args);

const count = async (sql: string, values: unknown[] = []) => Number((await t.konpay.pool.query<{ n: string }>(sql, values)).rows[0]!.n);

/** `n` accounts straight in SQL, created a day ago, each with a live session; their ids. */
async function seed(n: number, tag: string, phonePrefix: string): Promise<string[]> {
  const res = await t.konpay.pool.query<{ id: string }>(
    `INSERT INTO users (id, email, email_verified_at, phone, phone_verified_at, password_hash, password_changed_at, locale, created_at)
     SELECT gen_random_uuid(), $1::text || i || '@example.jp', now(), '+8170' || $2::text || lpad(i::text, 5, '0'), now(), 'x', now(), 'ja',
            now() - interval '1 day'
       FROM generate_series(1, $3::int) i RETURNING id`,
    [tag, phonePrefix, n],
  );
  await t.konpay.pool.query(
    `INSERT INTO sessions (id, user_id, token_hash, transport, created_at, authenticated_at, last_seen_at, expires_at)
     SELECT gen_random_uuid(), id, gen_random_uuid()::text::bytea, 'bearer', now(), now(), now(), now() + interval '1 day'
       FROM users WHERE id = ANY($1::uuid[])`,
    [res.rows.map((r) => r.id)],
  );
  return res.rows.map((r) => r.id);
}

describe('npm run ops -- accounts freeze', () => {
  it('freezes one customer by e-mail as the console does: sessions and devices end, the customer is told', async () => {
    const who = await signUp(t);
    const r = await ops('accounts', 'freeze', '--email', who.email, '--reason', 'Reported stolen phone');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/frozen 1, already frozen \(skipped\) 0, not found 0, invalid 0; sessions ended 1/);
    expect((await t.konpay.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(who.token) })).statusCode).toBe(401);
    const user = (await t.konpay.pool.query<{ id: string; frozen_reason: string }>(`SELECT id, frozen_reason FROM users WHERE email = $1`, [who.email])).rows[0]!;
    expect(user.frozen_reason).toMatch(/^operator cli:.*: Reported stolen phone$/);
    expect(await count(`SELECT count(*) AS n FROM devices WHERE user_id = $1 AND revoked_at IS NULL`, [user.id])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM security_events WHERE user_id = $1 AND kind = 'account_frozen'`, [user.id])).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM outbox WHERE payload->>'to' = $1 AND payload->>'subject' LIKE '%frozen%'`, [who.email])).toBe(1);
  }, 120_000);

  it('freezes a file of ids in batches, skipping and counting the already frozen, the unknown and the malformed', async () => {
    const uuids = await seed(450, 'frz', '456');
    const ids = uuids.map((u) => toPublicId('usr', u));
    // Ten of them frozen beforehand: one by the CLI, nine (sessions left alive) straight in SQL.
    const pre = await ops('accounts', 'freeze', '--id', ids[0]!, '--reason', 'first');
    expect(pre.status, pre.stderr).toBe(0);
    await t.konpay.pool.query(`UPDATE users SET frozen_at = now(), frozen_reason = 'earlier' WHERE id = ANY($1::uuid[])`, [uuids.slice(100, 109)]);
    const file = join(dir, 'ids.txt');
    await writeFile(file, ['# accounts from the incident report', ...ids, '', `usr_${'0'.repeat(32)}`, 'not-an-id  # typo', ids[5]!].join('\n'));

    const r = await ops('accounts', 'freeze', '--file', file, '--reason', 'Incident 2026-12-05');
    expect(r.status, r.stderr).toBe(1); // some lines were not customers
    expect(r.stdout.trim()).toBe('frozen 440, already frozen (skipped) 10, not found 1, invalid 1; sessions ended 440');
    expect(r.stderr).toMatch(/not a customer id: not-an-id/);
    expect(r.stderr.match(/\d+\/\d+ ids done/g)).toEqual(['200/452 ids done', '400/452 ids done', '452/452 ids done']); // repeats once
    expect(await count(`SELECT count(*) AS n FROM users WHERE email LIKE 'frz%' AND frozen_at IS NULL`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email LIKE 'frz%' AND s.revoked_at IS NULL`)).toBe(9);
    expect(await count(`SELECT count(*) AS n FROM security_events e JOIN users u ON u.id = e.user_id WHERE u.email LIKE 'frz%' AND e.kind = 'account_frozen'`)).toBe(441);
  }, 180_000);

  it('refuses usage without exactly one way of naming accounts (2), and has no unfreeze', async () => {
    for (const args of [['accounts', 'freeze', '--reason', 'x'], ['accounts', 'freeze', '--id', 'usr_1', '--email', 'a@b.jp', '--reason', 'x'], ['accounts', 'unfreeze', '--id', 'usr_1']]) {
      const r = await ops(...args);
      expect([args.join(' '), r.status, r.stdout]).toEqual([args.join(' '), 2, '']);
    }
  }, 120_000);
});

describe('npm run ops -- passwords force-reset', () => {
  it('killed in mid-run, resumes from the last committed batch: every account once, counts right, one notice each', async () => {
    await seed(4_000, 'rst', '789');
    const users = await count('SELECT count(*) AS n FROM users');
    const liveSessions = await count('SELECT count(*) AS n FROM sessions WHERE revoked_at IS NULL');

    // Small batches so the run is still going when it is killed.
    const run = start('passwords', 'force-reset', '--all', '--reason', 'Credential stuffing incident', '--batch', '5');
    let processed = 0;
    for (const began = Date.now(); Date.now() - began < 120_000;) {
      processed = await count(`SELECT coalesce(max(processed), 0) AS n FROM password_reset_runs`);
      if (processed >= 200) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    run.child.kill('SIGKILL');
    const killed = await run.done;
    expect(killed.status).toBeNull(); // died, did not finish
    const runId = /run (rst_[0-9a-f]{32}) started: (\d+) accounts selected/.exec(killed.stdout);
    expect(runId?.[2]).toBe(String(users));
    const atKill = await count(`SELECT processed AS n FROM password_reset_runs`);
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(users);
    expect(await count(`SELECT count(*) AS n FROM users WHERE must_reset_password`)).toBe(atKill);

    const status = await ops('passwords', 'reset-status');
    expect(status.stdout).toMatch(new RegExp(`${runId![1]}  running  ${atKill}/${users} accounts`));

    // A different selection is refused while the run is unfinished; the same command resumes it.
    const other = await ops('passwords', 'force-reset', '--since', '2026-01-01', '--reason', 'x');
    expect(other.status).toBe(1);
    expect(other.stderr).toMatch(/unfinished with another selection/);
    const resumed = await ops('passwords', 'force-reset', '--resume', runId![1]!, '--batch', '500');
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(new RegExp(`resuming run ${runId![1]}: ${atKill}/${users} accounts done before`));
    expect(resumed.stdout).toMatch(new RegExp(`${runId![1]}  completed  ${users}/${users} accounts`));
    expect(resumed.stdout).toMatch(new RegExp(`sessions ended ${liveSessions}, notices queued ${users}`));
    expect(resumed.stderr).toMatch(new RegExp(`accounts ${users.toLocaleString('en-US')}/${users.toLocaleString('en-US')} 100%`)); // the plain progress line

    expect(await count(`SELECT count(*) AS n FROM users WHERE NOT must_reset_password`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM sessions WHERE revoked_at IS NULL`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM security_events WHERE kind = 'password_reset_required'`)).toBe(users);
    expect(await count(`SELECT count(DISTINCT user_id) AS n FROM security_events WHERE kind = 'password_reset_required'`)).toBe(users);
    const notices = `FROM outbox WHERE topic = 'notify.email' AND payload->>'subject' IN ('Konpay: パスワードの再設定をお願いします', 'Konpay: please choose a new password')`;
    expect(await count(`SELECT count(*) AS n ${notices}`)).toBe(users);
    expect(await count(`SELECT count(DISTINCT payload->>'to') AS n ${notices}`)).toBe(users);

    // Done is done: resuming again is refused, and status shows it completed.
    expect((await ops('passwords', 'force-reset', '--resume', runId![1]!)).status).toBe(1);
    expect((await ops('passwords', 'reset-status', runId![1]!)).stdout).toMatch(/completed/);
  }, 300_000);

  it('on Ctrl-C, stops after the batch in flight: every account it counts is done, and the run resumes', async () => {
    const ctrlC = new AbortController();
    const running = runOpsInProcess(cliTargetOf(t), ['passwords', 'force-reset', '--since', '2000-01-01', '--reason', 'Ctrl-C drill', '--batch', '5'], { interrupt: ctrlC.signal });
    let processed = 0;
    for (const began = Date.now(); processed < 20 && Date.now() - began < 60_000;) {
      processed = await count(`SELECT coalesce(max(processed), 0) AS n FROM password_reset_runs WHERE reason = 'Ctrl-C drill'`);
      await new Promise((r) => setTimeout(r, 10));
    }
    ctrlC.abort();
    const r = await running;
    expect(r.status, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/stopping after the current batch/);
    const runId = /interrupted; resume with: npm run ops -- passwords force-reset --resume (rst_[0-9a-f]{32})/.exec(r.stderr)?.[1];
    expect(runId).toBeDefined();
    const stopped = await count(`SELECT processed AS n FROM password_reset_runs WHERE reason = 'Ctrl-C drill'`);
    const users = await count('SELECT count(*) AS n FROM users');
    expect(stopped).toBeGreaterThanOrEqual(processed);
    expect(stopped).toBeLessThan(users);
    expect(stopped % 5).toBe(0); // whole batches only
    expect((await ops('passwords', 'reset-status', runId!)).stdout).toMatch(new RegExp(`${runId}  running  ${stopped}/${users} accounts`));
    const resumed = await ops('passwords', 'force-reset', '--resume', runId!, '--batch', '1000');
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(new RegExp(`${runId}  completed  ${users}/${users} accounts`));
  }, 120_000);

  it('refuses bad usage (2) and unknown runs (1), starting nothing', async () => {
    const refusals: [string[], number, RegExp][] = [
      [['passwords', 'force-reset', '--reason', 'x'], 2, /--all, or --since/],
      [['passwords', 'force-reset', '--all', '--since', '2026-01-01', '--reason', 'x'], 2, /not both/],
      [['passwords', 'force-reset', '--all'], 2, /--reason/],
      [['passwords', 'force-reset', '--since', 'yesterday-ish', '--reason', 'x'], 2, /not a date/],
      [['passwords', 'force-reset', '--all', '--reason', 'x', '--batch', '0'], 2, /--batch/],
      [['passwords', 'force-reset', '--resume', `rst_${'0'.repeat(32)}`], 1, /no reset run/],
      [['passwords', 'reset-status', 'rst_nope'], 1, /no reset run/],
      [['passwords', 'reset-status', 'a', 'b'], 2, /usage: passwords reset-status/],
    ];
    const before = await count('SELECT count(*) AS n FROM password_reset_runs');
    for (const [args, status, message] of refusals) {
      const r = await ops(...args);
      expect([args.join(' '), r.status]).toEqual([args.join(' '), status]);
      expect(r.stderr).toMatch(message);
    }
    expect(await count('SELECT count(*) AS n FROM password_reset_runs')).toBe(before);
  }, 180_000);
});
