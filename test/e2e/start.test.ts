/**
 * `npm start` as a newcomer runs it: no configuration, no database of their own.
 * Starts the real entry point in a child process on an empty data folder, checks every
 * public surface, stops it with SIGTERM, and starts it again on the same folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../harness/net.js';

const ROOT = join(import.meta.dirname, '..', '..');
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'konpay-e2e-'));
  await chmod(dataDir, 0o755);
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

interface Running {
  child: ChildProcess;
  base: string;
  output: () => string;
  exited: Promise<number | null>;
  startedInMs: number;
}

async function start(env: Record<string, string>): Promise<Running> {
  const port = await freePort();
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const began = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...inherited, NODE_ENV: 'development', PORT: String(port), CARDNET_PORT: '0', KONPAY_DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`konpay exited early:\n${out}`);
    if (Date.now() - began > 15_000) {
      child.kill('SIGKILL');
      throw new Error(`not answering /health within 15 s:\n${out}`);
    }
    const ok = await fetch(`${base}/health`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, base, output: () => out, exited, startedInMs: Date.now() - began };
}

async function stop(r: Running): Promise<number | null> {
  r.child.kill('SIGTERM');
  return r.exited;
}

describe('npm start with zero configuration', () => {
  it('serves every surface from an embedded PostgreSQL, stops cleanly, and finds its data again', async () => {
    const first = await start({});
    try {
      // The deadline itself is enforced by start(); report the figure for the closing notes.
      console.info(`konpay answered /health ${first.startedInMs} ms after start (fresh data folder)`);
      for (const path of ['/health', '/ready', '/openapi.json', '/docs/', '/dev/outbox', '/app/']) {
        const res = await fetch(first.base + path);
        expect(res.status, path).toBe(200);
      }
      const html = await fetch(`${first.base}/dev/outbox`, { headers: { accept: 'text/html' } });
      expect(await html.text()).toContain('Dev outbox');

      // The card network simulator runs in-process, on its own port.
      const line = first.output().split('\n').find((l) => l.includes('card network simulator listening'));
      const cardnetUrl = (JSON.parse(line!) as { url: string }).url;
      const form = await fetch(`${cardnetUrl}/cardnet/card-form?returnUrl=${encodeURIComponent(`${first.base.replace('127.0.0.1', 'localhost')}/cards/return`)}`);
      expect(form.status).toBe(200);
      expect(await form.text()).toMatch(/<form/);

      // Leave a message in the database the way the outbox worker would.
      const secrets = JSON.parse(await readFile(join(dataDir, 'secrets.json'), 'utf8')) as { embeddedDbPassword: string };
      const port = (await readFile(join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[3];
      const db = new pg.Client({ connectionString: `postgres://postgres:${encodeURIComponent(secrets.embeddedDbPassword)}@127.0.0.1:${port}/konpay` });
      await db.connect();
      await db.query(`INSERT INTO dev_outbox_messages (id, channel, recipient, subject, body, created_at)
                      VALUES ('0190f5a2-0000-7000-8000-000000000001', 'email', 'kept@example.jp', 'Kept', 'across restarts', now())`);
      await db.end();
    } finally {
      expect(await stop(first)).toBe(0);
    }
    expect(first.output()).toContain('"msg":"stopped"');
    // The database stopped with us: no server left holding the folder.
    expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);

    const second = await start({});
    console.info(`konpay answered /health ${second.startedInMs} ms after start (existing data folder)`);
    try {
      const res = await fetch(`${second.base}/dev/outbox?to=kept@example.jp`);
      const body = (await res.json()) as { messages: { subject: string }[] };
      expect(body.messages.map((m) => m.subject)).toEqual(['Kept']);
      expect(second.output()).not.toContain('migrations applied');
    } finally {
      expect(await stop(second)).toBe(0);
    }
  });

  it('refuses to start in production without its secrets, saying which are missing', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, NODE_ENV: 'production', KONPAY_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(1);
    expect(err).toMatch(/NODE_ENV=production needs these from the environment: DATABASE_URL, KONPAY_PASSWORD_PEPPER/);
    expect(err).not.toMatch(/at .*\.ts:\d+/); // a message for an operator, not a stack trace
  });
});
