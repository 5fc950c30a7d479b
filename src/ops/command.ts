/** The shape of an operator command run by `npm run ops -- …` (src/ops/cli.ts). */
import type pg from 'pg';
import type { Config } from '../config.js';
import type { Clock } from '../shared/clock.js';
import type { ProgressSink } from './progress.js';

export interface OpsContext {
  config: Config;
  pool: pg.Pool;
  clock: Clock;
  /** Standard output: what the operator asked for. */
  out(line: string): void;
  /** Standard error: why it did not happen. */
  err(line: string): void;
  /** Standard error as a stream, for a progress bar (src/ops/progress.ts). */
  progress: ProgressSink;
  /**
   * Calls `handler` on Ctrl-C or SIGTERM until the returned function is called. A second
   * signal is the entry point's to handle (it exits at once); commands never touch the
   * process's signals or exit themselves, so they also run in-process (src/ops/main.ts).
   */
  onInterrupt(handler: () => void): () => void;
}

export interface CommandArgs {
  options: Record<string, string | undefined>;
  positionals: string[];
}

export interface Command {
  /** The words that select it, e.g. `terminal rotate`. */
  name: string;
  /** What follows the name in the help text, e.g. `<terminal-id>`. */
  usage: string;
  summary: string;
  /** String options (`--name Foo`), all required. */
  options?: readonly string[];
  /** String options that may be left out. */
  optional?: readonly string[];
  /** Switches without a value (`--all`); a given one arrives as `options[name] === 'true'`. */
  flags?: readonly string[];
  /** How many positional arguments it takes. */
  positionals?: number;
  /** How many more it may take (`reset-status [run-id]`). */
  optionalPositionals?: number;
  /**
   * The CLI appends every command run to the audit chain as `cli:<user>` (src/ops/cli.ts),
   * except commands that append their own rows in their transactions, or read the log.
   */
  selfAudited?: boolean;
  /** Exit status: 0 done, 1 refused (not found, revoked…). */
  run(ctx: OpsContext, args: CommandArgs): Promise<number>;
}
