/**
 * `npm run ops -- <command>`: operator commands against the configured database, with
 * the same configuration as `npm start` (environment, data folder, secrets). Commands
 * are tables of `Command`s (src/ops/command.ts); add a module's table to COMMANDS.
 *
 * `main` is one run, in-process: the entry point (src/ops/cli.ts) hands it the process's
 * arguments, streams, environment and signals; tests hand it their own, so most CLI tests
 * need no process of their own (test/harness/cli.ts).
 *
 * Standard output carries the answer (a new terminal's secret included, shown once);
 * logs go to standard error, at `warn` unless LOG_LEVEL says otherwise.
 * Exit status: 0 done, 1 refused (not found, revoked…), 2 usage.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { loadMigrations, migrate } from '../db/migrate.js';
import { openDatabase } from '../db/open.js';
import { createPool } from '../db/pool.js';
import { secretValues } from '../secrets.js';
import { systemClock } from '../shared/clock.js';
import { createLogger } from '../shared/logger.js';
import type { Command, CommandArgs } from './command.js';
import type { ProgressSink } from './progress.js';
import { merchantCommands } from './merchant-commands.js';
import { webhookCommands } from './webhook-commands.js';
import { settlementCommands } from './settlement-commands.js';
import { operatorCommands } from '../operators/commands.js';
import { switchCommands } from './switches/commands.js';
import { auditCommands } from './audit/commands.js';
import { recordCliRun } from './audit/cli-record.js';
import { accountCommands } from './account-commands.js';
import { caseCommands } from '../cases/commands.js';

const COMMANDS: readonly Command[] = [...merchantCommands, ...webhookCommands, ...settlementCommands, ...switchCommands, ...operatorCommands, ...auditCommands, ...accountCommands, ...caseCommands];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => `${c.name} ${c.usage}`.length));
  return ['usage: npm run ops -- <command>', '', ...COMMANDS.map((c) => `  ${`${c.name} ${c.usage}`.padEnd(width)}  ${c.summary}`)].join('\n');
}

/** The command named by the leading words, and its arguments; a string is a usage error. */
function select(argv: string[]): { command: Command; args: CommandArgs } | string {
  const command = COMMANDS.find((c) => c.name.split(' ').every((w, i) => argv[i] === w));
  if (!command) return argv.length ? `unknown command: ${argv.slice(0, 2).join(' ')}` : 'no command given';
  const rest = argv.slice(command.name.split(' ').length);
  try {
    const parsed = parseArgs({
      args: rest, strict: true, allowPositionals: true,
      options: Object.fromEntries([
        ...[...(command.options ?? []), ...(command.optional ?? [])].map((o) => [o, { type: 'string' as const }]),
        ...(command.flags ?? []).map((f) => [f, { type: 'boolean' as const }]),
      ]),
    });
    const options = Object.fromEntries(Object.entries(parsed.values).map(([k, v]) => [k, v === true ? 'true' : v === false ? undefined : v])) as Record<string, string | undefined>;
    const missing = (command.options ?? []).filter((o) => !options[o]);
    if (missing.length) return `${command.name}: missing ${missing.map((o) => `--${o}`).join(', ')}`;
    const least = command.positionals ?? 0;
    if (parsed.positionals.length < least || parsed.positionals.length > least + (command.optionalPositionals ?? 0)) return `usage: ${command.name} ${command.usage}`;
    return { command, args: { options, positionals: parsed.positionals } };
  } catch (err) {
    return `${command.name}: ${(err as Error).message}`;
  }
}

/** Where a run reads its settings and writes its answers: the process's own in `src/ops/cli.ts`, captured ones in tests. */
export interface CliIo {
  /** Standard output and error as streams; a progress bar asks `isTTY` and `columns`. */
  stdout: ProgressSink;
  stderr: ProgressSink;
  /** What the configuration is read from (`process.env` for the real entry point). */
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Ctrl-C and SIGTERM: the entry point subscribes to the process's signals. Absent, a
   * run is never interrupted (tests in-process, where the signals are the test runner's).
   */
  onInterrupt?: (handler: () => void) => () => void;
}

/**
 * One `npm run ops -- …` run: parses `argv`, runs the command and answers its exit status
 * (0 done, 1 refused or failed, 2 usage). It never exits, installs no signal handler,
 * reads the environment only from `io.env` and writes only to `io`, and closes its pool
 * (and stops the embedded server when it started one) before answering, so runs can
 * follow one another in one process: the entry point and in-process tests both call it.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const err = (l: string) => void io.stderr.write(`konpay ops: ${l}\n`);
  const chosen = select([...argv]);
  if (typeof chosen === 'string') {
    err(`${chosen}\n\n${help()}`);
    return 2;
  }
  try {
    return await runChosen(chosen, io, err);
  } catch (e: unknown) {
    if (e instanceof ConfigError) err(e.message);
    else err(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return 1;
  }
}

async function runChosen(chosen: { command: Command; args: CommandArgs }, io: CliIo, err: (l: string) => void): Promise<number> {
  const config = await loadConfig({ LOG_LEVEL: 'warn', ...io.env });
  const logger = createLogger({ level: config.logLevel, knownSecrets: secretValues(config.secrets), destination: io.stderr });
  const database = await openDatabase(config, logger);
  const pool = createPool({ connectionString: database.url, max: 2, applicationName: 'konpay-ops' });
  try {
    await migrate(pool, await loadMigrations());
    const status = await chosen.command.run(
      {
        config, pool, clock: systemClock, out: (l) => void io.stdout.write(`${l}\n`), err, progress: io.stderr,
        onInterrupt: io.onInterrupt ?? (() => () => {}),
      },
      chosen.args,
    );
    // In the audit chain as `cli:<user>`, right after the command (its own transactions are its own).
    if (!chosen.command.selfAudited) await recordCliRun(pool, systemClock, chosen.command.name, chosen.args, status);
    return status;
  } finally {
    await pool.end();
    await database.embedded?.stop(); // a no-op when a running server owns it
  }
}
