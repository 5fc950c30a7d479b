/**
 * The PostgreSQL server the bench measures: DATABASE_URL's when set, else an embedded
 * one (the binaries Konpay ships with, src/db/embedded.ts) in a temporary folder, with
 * production durability (fsync and synchronous commit on). The bench makes its own
 * databases on it and drops them at the end.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/db/embedded.js';
import { newSecret } from '../../src/secrets.js';
import { createLogger } from '../../src/shared/logger.js';

export interface PgServer {
  /** postgres://user:password@host:port, no database. */
  readonly serverUrl: string;
  readonly embedded: boolean;
  /** For command-line tools (pgbench): host, port, user; the password goes in PGPASSWORD. */
  readonly conn: { host: string; port: string; user: string; password: string };
  urlFor(database: string): string;
  stop(): Promise<void>;
}

/**
 * Server settings of the embedded cluster. Durability stays as in production; the memory
 * and WAL sizes are what an operator would give a 24 GiB machine, so neither seeding nor
 * the measured phases are dominated by forced checkpoints. pgbench runs on the same.
 */
export const EMBEDDED_SETTINGS: Record<string, string> = {
  shared_buffers: '1GB',
  max_wal_size: '8GB',
  max_connections: '300',
};

function split(url: string): { serverUrl: string; conn: PgServer['conn'] } {
  const u = new URL(url);
  u.pathname = '';
  u.search = '';
  return {
    serverUrl: u.toString().replace(/\/$/, ''),
    conn: { host: u.hostname, port: u.port || '5432', user: decodeURIComponent(u.username) || process.env.USER || 'postgres', password: decodeURIComponent(u.password) },
  };
}

export async function openServer(log: (line: string) => void): Promise<PgServer> {
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv) {
    const { serverUrl, conn } = split(fromEnv);
    log(`PostgreSQL: DATABASE_URL's server ${conn.host}:${conn.port}`);
    return { serverUrl, conn, embedded: false, urlFor: (db) => `${serverUrl}/${db}`, stop: async () => {} };
  }
  const dir = await mkdtemp(join(tmpdir(), 'konpay-bench-pg-'));
  await chmod(dir, 0o755); // as root, PostgreSQL runs as the postgres user and must reach its folder
  log(`PostgreSQL: starting an embedded server in ${dir}`);
  const embedded = await startEmbeddedPostgres({
    dir: join(dir, 'pg'), password: newSecret(), database: 'postgres',
    logger: createLogger({ level: 'warn', knownSecrets: [] }), settings: EMBEDDED_SETTINGS,
  });
  const { serverUrl, conn } = split(embedded.adminUrl);
  return {
    serverUrl, conn, embedded: true, urlFor: (db) => `${serverUrl}/${db}`,
    async stop() {
      await embedded.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function withAdmin<T>(server: PgServer, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: server.urlFor('postgres') });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function recreateDatabase(server: PgServer, name: string): Promise<void> {
  await withAdmin(server, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`);
  });
}

export async function dropDatabase(server: PgServer, name: string): Promise<void> {
  await withAdmin(server, (c) => c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`));
}

export async function serverVersion(server: PgServer): Promise<string> {
  return withAdmin(server, async (c) => (await c.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0]!.v);
}
