/**
 * `npm run ops -- …` as an operator runs it: a process of its own (argument parsing, exit
 * status, standard output and error are what these tests check), pointed at a test's
 * database and data folder, with the parent's environment otherwise.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

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

/** Starts the CLI and returns the process (to signal it) and its outcome. */
export function startOps(target: CliTarget, args: readonly string[]): { child: ChildProcess; done: Promise<CliRun> } {
  const { DATABASE_URL: _ignored, LOG_LEVEL: _level, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/ops/cli.ts', ...args], {
    cwd: ROOT,
    env: { ...inherited, NODE_ENV: 'test', DATABASE_URL: target.databaseUrl, KONPAY_DATA_DIR: target.dataDir, ...target.env },
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
