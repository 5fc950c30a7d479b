/**
 * Migrations: plain, numbered SQL files in `migrations/` (`0001_foundation.sql`),
 * recorded in `konpay_migrations` with a checksum.
 *
 * Two servers may start at once. The first to lock row 0 of the migrations table
 * applies every pending file in one transaction; the other waits on that row lock and
 * then finds nothing left to do. A row lock rather than an advisory lock, so the same
 * code runs on engines that have no advisory locks.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { withTransaction } from './tx.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

/** The folder ships beside `src/` and `dist/`, so both resolve it the same way. */
export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'migrations');

const FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const out: Migration[] = [];
  for (const file of files) {
    const m = FILE.exec(file);
    if (!m) throw new Error(`migration file ${file} must be named NNNN_name.sql`);
    const sql = await readFile(join(dir, file), 'utf8');
    const version = Number(m[1]);
    if (out.length > 0 && out[out.length - 1]!.version === version) throw new Error(`two migrations numbered ${version}`);
    out.push({ version, name: m[2]!, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return out;
}

const CREATE_TABLE = `
  CREATE TABLE IF NOT EXISTS konpay_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    checksum   text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`;

async function ensureTable(pool: pg.Pool): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await pool.query(CREATE_TABLE);
      return;
    } catch (err) {
      // Two servers creating the table at the same instant: one wins, the other sees a
      // duplicate (of the table, its row type or a catalog key) and tries again, when
      // IF NOT EXISTS finds the table.
      const code = (err as { code?: string }).code;
      if (i < 5 && (code === '23505' || code === '42P07' || code === '42710')) continue;
      throw err;
    }
  }
}

export interface MigrateResult {
  applied: number[];
  current: number;
}

export async function migrate(pool: pg.Pool, migrations: readonly Migration[]): Promise<MigrateResult> {
  await ensureTable(pool);
  return withTransaction(
    pool,
    async (c) => {
      await c.query(`INSERT INTO konpay_migrations (version, name, checksum) VALUES (0, 'lock', '') ON CONFLICT (version) DO NOTHING`);
      await c.query('SELECT version FROM konpay_migrations WHERE version = 0 FOR UPDATE');
      const done = await c.query<{ version: number; checksum: string }>('SELECT version, checksum FROM konpay_migrations WHERE version > 0');
      const known = new Map(done.rows.map((r) => [r.version, r.checksum]));
      const applied: number[] = [];
      for (const m of migrations) {
        const prior = known.get(m.version);
        if (prior !== undefined) {
          if (prior !== m.checksum) throw new Error(`migration ${m.version}_${m.name} was changed after it was applied`);
          continue;
        }
        await c.query(m.sql);
        await c.query('INSERT INTO konpay_migrations (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, m.checksum]);
        applied.push(m.version);
      }
      return { applied, current: migrations.at(-1)?.version ?? 0 };
    },
    { isolation: 'read committed' },
  );
}

/** For /ready: every migration this build knows is recorded in the database. */
export async function pendingMigrations(db: Pick<pg.Pool, 'query'>, migrations: readonly Migration[]): Promise<number[]> {
  const res = await db.query<{ version: number }>('SELECT version FROM konpay_migrations WHERE version > 0');
  const have = new Set(res.rows.map((r) => r.version));
  return migrations.filter((m) => !have.has(m.version)).map((m) => m.version);
}
