/**
 * `npx tsx bench/force-reset.ts [--accounts 200000] [--batch 1000]`: how fast a forced
 * password reset of every account goes (`npm run ops -- passwords force-reset --all`),
 * the figure that says how long 7pay's 16.5 million accounts would take.
 *
 * Against DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432/postgres):
 * makes `konpay_bench_reset` afresh, applies the migrations, seeds the accounts in one SQL
 * statement (half with a live session, a fifth in Japanese), runs the reset through the
 * service with the CLI's batch size, checks every account was marked, told and recorded
 * exactly once, and writes bench/results/force-reset.json.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadMigrations, migrate } from '../src/db/migrate.js';
import { createPool } from '../src/db/pool.js';
import { driveForcedReset, startForcedReset } from '../src/identity/forced-reset/service.js';
import { Notifier, notifyHandlers } from '../src/notify/notifier.js';
import { Outbox } from '../src/outbox/outbox.js';
import { systemClock } from '../src/shared/clock.js';
import { createLogger } from '../src/shared/logger.js';
import { Progress } from '../src/ops/progress.js';

const { values } = parseArgs({ options: { accounts: { type: 'string', default: '200000' }, batch: { type: 'string', default: '1000' } } });
const accounts = Number(values.accounts);
const batchSize = Number(values.batch);
const server = (process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres').replace(/\/[^/]*$/, '');
const NAME = 'konpay_bench_reset';

const admin = new pg.Client({ connectionString: `${server}/postgres` });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${NAME}`);
await admin.end();

const pool = createPool({ connectionString: `${server}/${NAME}`, max: 2 });
try {
  await migrate(pool, await loadMigrations());
  let t = Date.now();
  await pool.query(
    `INSERT INTO users (id, email, email_verified_at, phone, phone_verified_at, password_hash, password_changed_at, locale, created_at)
     SELECT gen_random_uuid(), 'b' || i || '@example.jp', now(), '+8170' || lpad(i::text, 8, '0'), now(), 'x', now(),
            CASE WHEN i % 5 = 0 THEN 'en' ELSE 'ja' END, now() - interval '1 day'
       FROM generate_series(1, $1::int) i`, [accounts],
  );
  await pool.query(
    `INSERT INTO sessions (id, user_id, token_hash, transport, created_at, authenticated_at, last_seen_at, expires_at)
     SELECT gen_random_uuid(), id, gen_random_uuid()::text::bytea, 'bearer', now(), now(), now(), now() + interval '1 day'
       FROM users WHERE hashtext(id::text) % 2 = 0`,
  );
  await pool.query('ANALYZE');
  const seedSeconds = (Date.now() - t) / 1000;
  process.stderr.write(`seeded ${accounts.toLocaleString('en-US')} accounts in ${seedSeconds.toFixed(1)} s\n`);

  const outbox = new Outbox(notifyHandlers({ senders: {}, devOutbox: undefined, logger: createLogger({ level: 'silent', knownSecrets: [] }) }), systemClock);
  const deps = { pool, clock: systemClock, notifier: new Notifier(outbox), publicUrl: 'https://konpay.example' };
  const started = await startForcedReset(deps, { reason: 'bench', since: null, startedBy: 'bench' });
  if (started.kind !== 'started') throw new Error(`could not start: ${started.kind}`);
  const progress = new Progress(process.stderr, { label: 'accounts', total: started.run.total, doneBefore: 0 });
  t = Date.now();
  const r = await driveForcedReset(deps, started.run.id, { batchSize, onBatch: (run) => progress.update(run.processed) });
  const seconds = (Date.now() - t) / 1000;
  progress.finish(r.run.processed);

  const check = (await pool.query<{ unmarked: string; events: string; notices: string; live: string }>(`SELECT
      (SELECT count(*) FROM users WHERE NOT must_reset_password) AS unmarked,
      (SELECT count(*) FROM security_events WHERE kind = 'password_reset_required') AS events,
      (SELECT count(*) FROM outbox WHERE topic = 'notify.email') AS notices,
      (SELECT count(*) FROM sessions WHERE revoked_at IS NULL) AS live`)).rows[0]!;
  const ok = Number(check.unmarked) === 0 && Number(check.events) === accounts && Number(check.notices) === accounts && Number(check.live) === 0;
  const result = {
    at: new Date().toISOString(), accounts, batchSize, seconds: Math.round(seconds * 10) / 10,
    accountsPerSecond: Math.round(accounts / seconds), sessionsRevoked: r.run.sessionsRevoked,
    hoursFor16_5Million: Math.round((16_500_000 / (accounts / seconds) / 3600) * 10) / 10, ok,
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  await writeFile(join(import.meta.dirname, 'results', 'force-reset.json'), `${JSON.stringify(result, null, 2)}\n`);
  if (!ok) {
    process.stderr.write(`check failed: ${JSON.stringify(check)}\n`);
    process.exitCode = 1;
  }
} finally {
  await pool.end();
}
