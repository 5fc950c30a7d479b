/**
 * The yardstick: pgbench's TPC-B-like transaction on the same server in the same run,
 * in a database of its own (`pgbench -i -s 10`, then `-c 8 -j 2 -M prepared -T …`).
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parsePgbench, type PgbenchReport } from './pgbench-parse.js';
import { dropDatabase, recreateDatabase, type PgServer } from './postgres.js';

export const PGBENCH_DB = 'konpay_bench_pgbench';

function findPgbench(): string {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, 'pgbench'))) return join(dir, 'pgbench');
  }
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    for (const v of readdirSync(root).sort().reverse()) {
      const p = join(root, v, 'bin', 'pgbench');
      if (existsSync(p)) return p;
    }
  }
  throw new Error('pgbench not found: install it (Debian: apt-get install postgresql-client or postgresql-contrib) or put it on PATH');
}

function run(bin: string, args: string[], server: PgServer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, {
      env: { ...process.env, PGHOST: server.conn.host, PGPORT: server.conn.port, PGUSER: server.conn.user, PGPASSWORD: server.conn.password, LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`pgbench ${args.join(' ')} exited with ${code}:\n${out.slice(-3000)}`))));
  });
}

export interface PgbenchRun {
  report: PgbenchReport;
  command: string;
}

export async function runPgbench(server: PgServer, o: { scale: number; clients: number; threads: number; seconds: number }, log: (l: string) => void): Promise<PgbenchRun> {
  const bin = findPgbench();
  await recreateDatabase(server, PGBENCH_DB);
  try {
    log(`pgbench -i -s ${o.scale} (${bin})`);
    await run(bin, ['-i', '-s', String(o.scale), '-q', PGBENCH_DB], server);
    const args = ['-c', String(o.clients), '-j', String(o.threads), '-M', 'prepared', '-T', String(o.seconds), PGBENCH_DB];
    log(`pgbench ${args.join(' ')}`);
    const out = await run(bin, args, server);
    return { report: parsePgbench(out), command: `pgbench ${args.join(' ')}` };
  } finally {
    await dropDatabase(server, PGBENCH_DB);
  }
}
