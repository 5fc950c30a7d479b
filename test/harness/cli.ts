/**
 * `npm run ops -- …` in tests, pointed at a test's database and data folder, with the
 * parent's environment otherwise. Two ways, answering the same `CliRun`:
 *
 * - `runOpsInProcess`: `main` of src/ops/main.ts with captured streams. The command
 *   graph is loaded once per test file instead of once per run (a spawned `tsx` spends
 *   1.5–2.5 s loading it on a busy CI machine), so this is what most cases use.
 * - `runOps` / `startOps` (a process of its own): the real entry point, its exit status,
 *   streams and signals. Each CLI test file keeps at least one such run, so the entry
 *   point stays proven end to end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { main } from '../../src/ops/main.js';

const ROOT = join(import.meta.dirname, '..', '..');

export interface CliRun { status: number | null; stdout: string; stderr: string }

export interface CliTarget {
  databaseUrl: string;
  dataDir: string;
  /** More settings for the CLI's configuration (e.g. cheaper argon2 for tests that hash). */
  env?: Record<string, string>;
}

/** The configuration of a running test server (`startTestKonpay`). */
export const cliTargetOf = (t: { db: { url: string }; config: { dataDir: string } }, env?: Record<string, string>): CliTarget =>
  ({ databaseUrl: t.db.url, dataDir: t.config.dataDir, env });

/** The environment a run sees: the parent's, without its database and log level, then the target's. */
function envOf(target: CliTarget): Record<string, string | undefined> {
  const { DATABASE_URL: _ignored, LOG_LEVEL: _level, ...inherited } = process.env;
  return { ...inherited, NODE_ENV: 'test', DATABASE_URL: target.databaseUrl, KONPAY_DATA_DIR: target.dataDir, ...target.env };
}

/**
 * One run in this process. `main` opens its own pool and closes it before answering, so
 * nothing outlives the run; it never exits and takes none of the process's signals.
 * `interrupt`: a Ctrl-C as the command sees it, delivered when the signal aborts.
 */
export async function runOpsInProcess(target: CliTarget, args: readonly string[], o: { interrupt?: AbortSignal } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const { interrupt } = o;
  const status = await main(args, {
    stdout: { write: (c: string) => (stdout += c) },
    stderr: { write: (c: string) => (stderr += c) },
    env: envOf(target),
    ...(interrupt && {
      onInterrupt: (handler: () => void) => {
        interrupt.addEventListener('abort', handler, { once: true });
        return () => interrupt.removeEventListener('abort', handler);
      },
    }),
  });
  return { status, stdout, stderr };
}

/** Starts the CLI and returns the process (to signal it) and its outcome. */
export function startOps(target: CliTarget, args: readonly string[]): { child: ChildProcess; done: Promise<CliRun> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/ops/cli.ts', ...args], {
    cwd: ROOT,
    env: envOf(target),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return { child, done: new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr }))) };
}

export function runOps(target: CliTarget, args: readonly string[]): Promise<CliRun> {
  return startOps(target, args).done;
}
