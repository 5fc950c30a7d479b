/**
 * Seeding the bench database in bulk, after the migrations, consistent with the schema
 * and the ledger's invariants:
 *
 * - one merchant (a chain) with its stores and one terminal per store, made through the
 *   merchants service (src/merchants/service.ts); the terminal secrets stay in memory;
 * - customers in batches of set-based SQL (generate_series): a user, a remembered device,
 *   a live bearer session and a wallet account each;
 * - each wallet's past: cash top-ups `store_cash:<store> → wallet` and payments
 *   `wallet → merchant_payable:<merchant>:<shard>` (with their `payments` rows), spread
 *   over the last 60 days, never overdrawn, within every limit (WAL-5), at least one day
 *   old so today's limits start fresh;
 *   each past payment also has the one-time code it used up in `payment_codes`, and each
 *   device the last code it showed, expired unused (about one open code per device, as a
 *   running system has: a new code supersedes the device's open ones);
 * - one wallet with `historyMovements` movements (alternating ¥1,000 top-ups and ¥1,000
 *   payments over 800 days: ~63 payments a day, inside the ¥100,000 daily limit).
 *
 * Account totals are written from the same generated rows as the transfers, so each
 * account's totals equal the sum of its transfers and the ledger sums to zero. Bench
 * bookkeeping (which wallet is which) lives in a `bench` schema of its own.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { createMerchant, createStore, createTerminal, type MerchantDeps } from '../../src/merchants/service.js';
import { DeviceCredentials, newSessionToken } from '../../src/identity/tokens.js';
import { fromPublicId, toPublicId } from '../../src/shared/ids.js';
import { systemClock } from '../../src/shared/clock.js';
import type { BenchOptions } from './options.js';

export interface BenchTerminal {
  ix: number;
  storeId: string;
  terminalId: string;
  keyId: string;
  secret: string;
}

export interface SeedSettings {
  encryptionKey: Buffer;
  signingKey: Buffer;
  /** argon2id of `password` under the server's pepper, with the production parameters. */
  passwordHash: string;
  password: string;
  payableShards: number;
  feeBps: number;
}

export interface Seeded {
  merchantId: string;
  terminals: BenchTerminal[];
  /** Wallet indexes that pay at the till (the others have roles of their own). */
  payers: { first: number; count: number };
  loginUsers: { email: string; deviceCredential: string }[];
  topupUsers: { i: number; token: string; holderPhone: string; cardNumber: string }[];
  history: { token: string; movements: number };
  ledgerEntries: number;
  users: number;
}

const BATCH = 25_000;

/** UUIDv7 for a given time (as Konpay makes them with `uuid`): time-ordered ids for the seeded rows. */
const UUID7 = `
  CREATE OR REPLACE FUNCTION pg_temp.uuid7(ts timestamptz) RETURNS uuid LANGUAGE sql VOLATILE AS $$
    SELECT (lpad(to_hex(floor(extract(epoch FROM ts) * 1000)::bigint), 12, '0') || '7' || substr(h, 1, 3)
            || to_hex(8 + floor(random() * 4)::int) || substr(h, 4, 15))::uuid
      FROM (SELECT replace(gen_random_uuid()::text, '-', '') AS h) r
  $$`;

const BENCH_SCHEMA = `
  CREATE SCHEMA bench;
  CREATE TABLE bench.stores (ix int PRIMARY KEY, store_id uuid NOT NULL, terminal_id uuid NOT NULL, name text NOT NULL, cash_account_id uuid NOT NULL);
  CREATE TABLE bench.payables (shard int PRIMARY KEY, account_id uuid NOT NULL);
  CREATE UNLOGGED TABLE bench.wallets (i int PRIMARY KEY, user_id uuid NOT NULL, device_id uuid NOT NULL, session_id uuid NOT NULL, wallet_id uuid NOT NULL, created_at timestamptz NOT NULL)`;

/** A Luhn-valid 16-digit card number, none of the simulator's special test cards. */
export function benchCardNumber(k: number): string {
  const body = `424242${String(k).padStart(9, '0')}`;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

type Progress = (line: string) => void;

async function makeStores(pool: pg.Pool, o: BenchOptions, s: SeedSettings, progress: Progress) {
  const deps: MerchantDeps = { pool, clock: systemClock, encryptionKey: s.encryptionKey };
  const merchant = await createMerchant(deps, { name: 'Konpay Bench Mart' });
  const merchantUuid = fromPublicId('mer', merchant.id)!;
  const terminals: BenchTerminal[] = [];
  const started = Date.now();
  for (let ix = 1; ix <= o.stores; ix++) {
    const store = await createStore(deps, { merchantId: merchant.id, name: `Bench Mart #${String(ix).padStart(5, '0')}` });
    if (store.kind !== 'created') throw new Error('store not created');
    const terminal = await createTerminal(deps, { storeId: store.id });
    if (terminal.kind !== 'created') throw new Error('terminal not created');
    terminals.push({ ix, storeId: fromPublicId('sto', store.id)!, terminalId: fromPublicId('trm', terminal.terminalId)!, keyId: terminal.keyId, secret: terminal.secret });
    if (ix % 250 === 0 || ix === o.stores) progress(`  stores and terminals (merchants service): ${ix.toLocaleString('en-US')}/${o.stores.toLocaleString('en-US')} · ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  // Their ledger accounts, as ensureAccount would make them on first use.
  await pool.query(
    `INSERT INTO bench.stores (ix, store_id, terminal_id, name, cash_account_id)
     SELECT x.ix, x.store_id, x.terminal_id, s.name, gen_random_uuid()
       FROM unnest($1::int[], $2::uuid[], $3::uuid[]) AS x(ix, store_id, terminal_id) JOIN stores s ON s.id = x.store_id`,
    [terminals.map((t) => t.ix), terminals.map((t) => t.storeId), terminals.map((t) => t.terminalId)],
  );
  await pool.query(
    `INSERT INTO ledger_accounts (id, code, kind, user_id, debits_must_not_exceed_credits, created_at)
     SELECT cash_account_id, 'store_cash:' || store_id, 'store_cash', NULL, false, now() FROM bench.stores`,
  );
  await pool.query(`INSERT INTO bench.payables (shard, account_id) SELECT g, gen_random_uuid() FROM generate_series(0, $1 - 1) g`, [s.payableShards]);
  await pool.query(
    `INSERT INTO ledger_accounts (id, code, kind, user_id, debits_must_not_exceed_credits, created_at)
     SELECT account_id, 'merchant_payable:' || $1::text || ':' || shard, 'merchant_payable', NULL, false, now() FROM bench.payables`,
    [merchantUuid],
  );
  await pool.query(
    `INSERT INTO ledger_accounts (id, code, kind, user_id, debits_must_not_exceed_credits, created_at)
     VALUES (gen_random_uuid(), 'card_clearing', 'card_clearing', NULL, false, now()) ON CONFLICT (code) DO NOTHING`,
  );
  return { merchantUuid, terminals };
}

/** Users, devices, sessions and wallets `lo..hi`, their past movements and totals, in one transaction. */
async function seedBatch(c: pg.PoolClient, o: BenchOptions, s: SeedSettings, merchantUuid: string, lo: number, hi: number, pattern: 'ordinary' | 'history'): Promise<number> {
  const moves = pattern === 'ordinary' ? o.movesPerWallet : o.historyMovements;
  const spanDays = pattern === 'ordinary' ? 60 : 800;
  const amount = pattern === 'ordinary'
    ? `CASE WHEN g.j = 0 THEN 30000 WHEN g.j % 2 = 0 THEN 5000 ELSE 100 + floor(random() * 1901)::int END`
    : '1000';
  await c.query('BEGIN');
  try {
    await c.query(
      `INSERT INTO bench.wallets (i, user_id, device_id, session_id, wallet_id, created_at)
       SELECT i, pg_temp.uuid7(t), pg_temp.uuid7(t), pg_temp.uuid7(now()), pg_temp.uuid7(t), t
         FROM (SELECT i, now() - make_interval(days => $3) - random() * interval '30 days' AS t FROM generate_series($1::int, $2::int) i) x`,
      [lo, hi, spanDays + 1],
    );
    await c.query(
      `INSERT INTO users (id, email, email_verified_at, phone, phone_verified_at, password_hash, password_changed_at, locale, created_at)
       SELECT user_id, 'u' || i || '@bench.konpay.example', created_at, '+8190' || (10000000 + i), created_at, $3, created_at,
              CASE WHEN i % 10 = 0 THEN 'en' ELSE 'ja' END, created_at
         FROM bench.wallets WHERE i BETWEEN $1 AND $2`,
      [lo, hi, s.passwordHash],
    );
    await c.query(
      `INSERT INTO devices (id, user_id, label, created_at, last_seen_at)
       SELECT device_id, user_id, 'Bench phone', created_at, now() - random() * interval '2 days' FROM bench.wallets WHERE i BETWEEN $1 AND $2`,
      [lo, hi],
    );
    await c.query(
      `INSERT INTO sessions (id, user_id, device_id, token_hash, transport, created_at, authenticated_at, last_seen_at, expires_at, ip, user_agent)
       SELECT session_id, user_id, device_id, sha256(uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid())), 'bearer', t, t, now() - random() * interval '1 hour',
              t + interval '30 days', '127.0.0.1', 'KonpayBench/1'
         FROM (SELECT *, now() - interval '3 days' - random() * interval '1 day' AS t FROM bench.wallets WHERE i BETWEEN $1 AND $2) w`,
      [lo, hi],
    );
    await c.query(
      `CREATE TEMP TABLE moves ON COMMIT DROP AS
       SELECT w.i, w.wallet_id, w.user_id, g.j, x.ts,
              pg_temp.uuid7(x.ts) AS transfer_id, pg_temp.uuid7(x.ts) AS payment_id, pg_temp.uuid7(x.ts - interval '40 seconds') AS code_id,
              CASE WHEN g.j % 2 = 1 THEN 'payment' ELSE 'topup_cash' END AS kind,
              ${amount} AS amount,
              1 + floor(random() * $4)::int AS store_ix,
              floor(random() * $5)::int AS shard
         FROM bench.wallets w
        CROSS JOIN generate_series(0, $3::int - 1) AS g(j)
        CROSS JOIN LATERAL (SELECT now() - make_interval(days => $6) + ((g.j + 0.05 + random() * 0.9) / $3::int) * make_interval(days => $6 - 2) AS ts) x
        WHERE w.i BETWEEN $1 AND $2`,
      [lo, hi, moves, o.stores, s.payableShards, spanDays],
    );
    await c.query(
      `INSERT INTO ledger_accounts (id, code, kind, user_id, debits_posted, credits_posted, debits_must_not_exceed_credits, created_at)
       SELECT w.wallet_id, 'wallet:' || w.user_id, 'wallet', w.user_id,
              coalesce(sum(m.amount) FILTER (WHERE m.kind = 'payment'), 0), coalesce(sum(m.amount) FILTER (WHERE m.kind = 'topup_cash'), 0),
              true, w.created_at
         FROM bench.wallets w LEFT JOIN moves m ON m.i = w.i
        WHERE w.i BETWEEN $1 AND $2
        GROUP BY w.wallet_id, w.user_id, w.created_at`,
      [lo, hi],
    );
    const inserted = await c.query(
      `INSERT INTO ledger_transfers (id, debit_account_id, credit_account_id, amount, kind, phase, metadata, created_at)
       SELECT m.transfer_id,
              CASE WHEN m.kind = 'payment' THEN m.wallet_id ELSE s.cash_account_id END,
              CASE WHEN m.kind = 'payment' THEN p.account_id ELSE m.wallet_id END,
              m.amount, m.kind, 'single',
              CASE WHEN m.kind = 'payment'
                   THEN jsonb_build_object('payment', 'pay_' || replace(m.payment_id::text, '-', ''), 'store', 'sto_' || replace(s.store_id::text, '-', ''), 'description', s.name)
                   ELSE jsonb_build_object('description', s.name || ' (cash)', 'store', 'sto_' || replace(s.store_id::text, '-', ''), 'terminal', 'trm_' || replace(s.terminal_id::text, '-', '')) END,
              m.ts
         FROM moves m JOIN bench.stores s ON s.ix = m.store_ix JOIN bench.payables p ON p.shard = m.shard
        ORDER BY m.ts`,
    );
    await c.query(
      `INSERT INTO payments (id, merchant_id, store_id, terminal_id, user_id, code_id, order_id, amount, fee, categories, status, transfer_id, business_date, created_at)
       SELECT m.payment_id, $1::uuid, s.store_id, s.terminal_id, m.user_id, m.code_id, 'seed-' || m.i || '-' || m.j, m.amount,
              floor(m.amount * $2::int / 10000), '{food}', 'approved', m.transfer_id, (m.ts AT TIME ZONE 'Asia/Tokyo')::date, m.ts
         FROM moves m JOIN bench.stores s ON s.ix = m.store_ix
        WHERE m.kind = 'payment'
        ORDER BY m.ts`,
      [merchantUuid, s.feeBps],
    );
    // The one-time code each past payment used up (only a digest is ever stored: random bytes here).
    await c.query(
      `INSERT INTO payment_codes (id, code_digest, user_id, device_id, session_id, created_at, expires_at, used_at)
       SELECT m.code_id, sha256(uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid())), m.user_id, w.device_id, w.session_id,
              m.ts - interval '40 seconds', m.ts + interval '260 seconds', m.ts
         FROM moves m JOIN bench.wallets w ON w.i = m.i
        WHERE m.kind = 'payment'
        ORDER BY m.ts`,
    );
    // And the last code each app showed and nobody used: it stays open (expired) until the
    // device's next code supersedes it, so a live system has about one per device.
    await c.query(
      `INSERT INTO payment_codes (id, code_digest, user_id, device_id, session_id, created_at, expires_at)
       SELECT pg_temp.uuid7(t), sha256(uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid())), user_id, device_id, session_id, t, t + interval '300 seconds'
         FROM (SELECT *, now() - interval '10 minutes' - random() * interval '2 days' AS t FROM bench.wallets WHERE i BETWEEN $1 AND $2) w`,
      [lo, hi],
    );
    await c.query(
      `UPDATE ledger_accounts a SET debits_posted = a.debits_posted + x.total
         FROM (SELECT s.cash_account_id AS id, sum(m.amount) AS total FROM moves m JOIN bench.stores s ON s.ix = m.store_ix
                WHERE m.kind = 'topup_cash' GROUP BY 1) x
        WHERE a.id = x.id`,
    );
    await c.query(
      `UPDATE ledger_accounts a SET credits_posted = a.credits_posted + x.total
         FROM (SELECT p.account_id AS id, sum(m.amount) AS total FROM moves m JOIN bench.payables p ON p.shard = m.shard
                WHERE m.kind = 'payment' GROUP BY 1) x
        WHERE a.id = x.id`,
    );
    await c.query('COMMIT');
    return inserted.rowCount ?? 0;
  } catch (err) {
    await c.query('ROLLBACK').catch(() => {});
    throw err;
  }
}

/** Session tokens the bench knows, written over the seeded random hashes. */
async function knownSessions(c: pg.PoolClient, indexes: readonly number[]): Promise<Map<number, string>> {
  const tokens = new Map<number, string>();
  const hashes: Buffer[] = [];
  for (const i of indexes) {
    const t = newSessionToken();
    tokens.set(i, t.token);
    hashes.push(t.hash);
  }
  await c.query(
    `UPDATE sessions s SET token_hash = x.h FROM unnest($1::int[], $2::bytea[]) AS x(i, h) JOIN bench.wallets w ON w.i = x.i WHERE s.id = w.session_id`,
    [indexes, hashes],
  );
  return tokens;
}

export async function seed(pool: pg.Pool, o: BenchOptions, s: SeedSettings, progress: Progress): Promise<Seeded> {
  const started = Date.now();
  const secs = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
  await pool.query(BENCH_SCHEMA);
  const { merchantUuid, terminals } = await makeStores(pool, o, s, progress);

  // Wallet indexes 1..N: payers first, then top-up users, login users, and the history wallet last.
  const historyIx = o.wallets;
  const loginFirst = historyIx - o.loginUsers;
  const topupFirst = loginFirst - o.topupUsers;
  const c = await pool.connect();
  c.on('error', () => {}); // a lost connection (Ctrl-C drops the database) fails the running query instead
  let entries = 0;
  try {
    await c.query(UUID7);
    for (let lo = 1; lo < historyIx; lo += BATCH) {
      const hi = Math.min(historyIx - 1, lo + BATCH - 1);
      entries += await seedBatch(c, o, s, merchantUuid, lo, hi, 'ordinary');
      progress(`  wallets ${hi.toLocaleString('en-US')}/${o.wallets.toLocaleString('en-US')} · ledger entries ${entries.toLocaleString('en-US')} · ${secs()}`);
    }
    entries += await seedBatch(c, o, s, merchantUuid, historyIx, historyIx, 'history');
    progress(`  history wallet: ${o.historyMovements.toLocaleString('en-US')} movements · ledger entries ${entries.toLocaleString('en-US')} · ${secs()}`);

    const credentials = new DeviceCredentials(s.signingKey);
    const { rows: logins } = await c.query<{ email: string; user_id: string; device_id: string }>(
      `SELECT u.email, w.user_id, w.device_id FROM bench.wallets w JOIN users u ON u.id = w.user_id WHERE w.i >= $1 AND w.i < $2 ORDER BY w.i`,
      [loginFirst, historyIx],
    );
    const loginUsers = await Promise.all(logins.map(async (r) => ({ email: r.email, deviceCredential: await credentials.issue({ userId: r.user_id, deviceId: r.device_id }, new Date()) })));
    const topupIx = Array.from({ length: o.topupUsers }, (_, k) => topupFirst + k);
    const tokens = await knownSessions(c, [...topupIx, historyIx]);
    const topupUsers = topupIx.map((i, k) => ({
      i, token: tokens.get(i)!, holderPhone: `+8180${10_000_000 + k}`, cardNumber: benchCardNumber(k),
    }));

    progress(`  VACUUM ANALYZE and CHECKPOINT · ${secs()}`);
    await c.query('VACUUM (ANALYZE)');
    await c.query('CHECKPOINT');
    progress(`  seeded in ${secs()}`);
    return {
      merchantId: toPublicId('mer', merchantUuid),
      terminals,
      payers: { first: 1, count: topupFirst - 1 },
      loginUsers,
      topupUsers,
      history: { token: tokens.get(historyIx)!, movements: o.historyMovements },
      ledgerEntries: entries,
      users: o.wallets,
    };
  } finally {
    c.release();
  }
}

/** A passphrase no blocklist holds. */
export const benchPassword = () => `bench login ${randomBytes(12).toString('base64url')} tsuki`;

