/**
 * Child processes of a bench run: Konpay as production runs it (`node dist/main.js`),
 * the card-network simulator, and the load generator. Each is stopped by its own pid.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const ROOT = join(import.meta.dirname, '..', '..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
}

function wrap(name: string, child: ChildProcess): Child {
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    name, process: child,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `url` until it answers 200, failing early if the child exits. */
export async function waitForHttp(child: Child, url: string, timeoutMs: number, logFile: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) throw new Error(`${child.name} exited with ${child.process.exitCode} while starting; see ${logFile}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.body?.cancel();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`${child.name} did not answer ${url} within ${timeoutMs / 1000} s; see ${logFile}`);
}

/** Runs `node <script>` (compiled JavaScript) or, for `.ts`, through tsx; output to `logFile`. */
export function startNode(name: string, script: string, env: NodeJS.ProcessEnv, logFile: string, nodeArgs: readonly string[] = []): Child {
  const fd = openSync(logFile, 'a');
  const execArgv = [...nodeArgs, ...(script.endsWith('.ts') ? ['--import', 'tsx'] : [])];
  const child = spawn(process.execPath, [...execArgv, script], { cwd: ROOT, env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  return wrap(name, child);
}

/** The load generator: a separate Node process driven over IPC (structured clone). */
export function startLoadGenerator(env: NodeJS.ProcessEnv, logFile: string): Child {
  const fd = openSync(logFile, 'a');
  const child = fork(join(ROOT, 'bench', 'load', 'main.ts'), [], {
    cwd: ROOT, env, execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', fd, fd, 'ipc'],
  });
  closeSync(fd);
  return wrap('load generator', child);
}

/** `npm run build`, failing with its output. */
export function build(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`npm run build failed (${code}):\n${out.slice(-4000)}`))));
  });
}

/** Minimal environment for children: nothing of the caller's (no DATABASE_URL, REDIS_URL…) leaks in. */
export function baseEnv(): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ', 'UV_THREADPOOL_SIZE', 'USER'];
  return Object.fromEntries(keep.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]]));
}
