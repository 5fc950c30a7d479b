/**
 * Once per test run: find a PostgreSQL server (DATABASE_URL, else start the embedded
 * one in a temporary folder), build a migrated template database, and hand the server
 * URL to the test files, which each clone the template into a database of their own.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded.js';
import { loadMigrations, migrate } from '../../src/db/migrate.js';
import { createPool } from '../../src/db/pool.js';
import { createLogger } from '../../src/shared/logger.js';
import { newSecret } from '../../src/secrets.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgServerUrl: string;
    templateDb: string;
  }
}

/** Splits postgres://user:pw@host:port/db into the server part and the database name. */
export function splitUrl(url: string): { server: string; database: string } {
  const u = new URL(url);
  const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres';
  u.pathname = '';
  return { server: u.toString().replace(/\/$/, ''), database };
}

export default async function setup(project: TestProject) {
  let embedded: EmbeddedPostgres | undefined;
  let dir: string | undefined;
  let server: string;
  if (process.env.DATABASE_URL) {
    server = splitUrl(process.env.DATABASE_URL).server;
  } else {
    dir = await mkdtemp(join(tmpdir(), 'konpay-test-pg-'));
    await chmod(dir, 0o755); // as root, PostgreSQL runs as another user and must reach its folder
    embedded = await startEmbeddedPostgres({
      dir: join(dir, 'pg'),
      password: newSecret(),
      database: 'postgres',
      logger: createLogger({ level: 'warn', knownSecrets: [] }),
      // A throw-away cluster: durability buys nothing here.
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
    });
    server = embedded.adminUrl;
  }

  const templateDb = `konpay_tpl_${process.pid}`;
  const admin = new pg.Client({ connectionString: `${server}/postgres` });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${templateDb}`);
  await admin.query(`CREATE DATABASE ${templateDb}`);
  const pool = createPool({ connectionString: `${server}/${templateDb}`, max: 2 });
  await migrate(pool, await loadMigrations());
  await pool.end();

  project.provide('pgServerUrl', server);
  project.provide('templateDb', templateDb);

  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${templateDb} WITH (FORCE)`).catch(() => {});
    await admin.end();
    await embedded?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  };
}
