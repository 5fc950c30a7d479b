/**
 * `npm run ops -- <command>`: operator commands against the configured database, with
 * the same configuration as `npm start` (environment, data folder, secrets). Commands
 * are tables of `Command`s (src/ops/command.ts); add a module's table to COMMANDS.
 *
 * Standard output carries the answer (a new terminal's secret included, shown once);
 * logs go to standard error, at `warn` unless LOG_LEVEL says otherwise.
 * Exit status: 0 done, 1 refused (not found, revoked…), 2 usage.
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { ConfigError, loadConfig } from '../config.js';
import { loadMigrations, migrate } from '../db/migrate.js';
import { openDatabase } from '../db/open.js';
import { createPool } from '../db/pool.js';
import { secretValues } from '../secrets.js';
import { systemClock } from '../shared/clock.js';
import { createLogger } from '../shared/logger.js';
import type { Command, CommandArgs } from './command.js';
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

async function main(argv: string[]): Promise<number> {
  const chosen = select(argv);
  if (typeof chosen === 'string') {
    console.error(`konpay ops: ${chosen}\n\n${help()}`);
    return 2;
  }
  const config = await loadConfig({ LOG_LEVEL: 'warn', ...process.env });
  const logger = createLogger({ level: config.logLevel, knownSecrets: secretValues(config.secrets), destination: pino.destination(2) });
  const database = await openDatabase(config, logger);
  const pool = createPool({ connectionString: database.url, max: 2, applicationName: 'konpay-ops' });
  try {
    await migrate(pool, await loadMigrations());
    const status = await chosen.command.run(
      { config, pool, clock: systemClock, out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`konpay ops: ${l}\n`) },
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

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (err: unknown) => {
    if (err instanceof ConfigError) console.error(`konpay ops: ${err.message}`);
    else console.error('konpay ops: failed:', err);
    process.exitCode = 1;
  },
);
