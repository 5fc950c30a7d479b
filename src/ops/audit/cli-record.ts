/**
 * Every operator command run from the CLI is an operator action (OPS-2): appended to the
 * audit chain as `cli:<operating-system user>` after the command, with its outcome.
 * Only arguments shaped like public ids (`sto_…`, `opr_…`) go into `ids`: never names,
 * e-mail addresses, reasons or file contents, which may be personal or secret.
 */
import { userInfo } from 'node:os';
import type pg from 'pg';
import type { Clock } from '../../shared/clock.js';
import type { CommandArgs } from '../command.js';
import { appendAuditAlone } from './log.js';

const PUBLIC_ID = /^[a-z]{3}_[0-9a-f]{32}$/;

export function cliWho(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

export function cliIds(args: CommandArgs): Record<string, string> {
  const ids: Record<string, string> = {};
  args.positionals.forEach((p, i) => {
    if (PUBLIC_ID.test(p)) ids[`arg${i + 1}`] = p;
  });
  for (const [k, v] of Object.entries(args.options)) if (v && PUBLIC_ID.test(v)) ids[k] = v;
  return ids;
}

export async function recordCliRun(pool: pg.Pool, clock: Clock, name: string, args: CommandArgs, status: number): Promise<void> {
  const outcome = status === 0 ? 'done' : status === 1 ? 'refused' : 'usage';
  await appendAuditAlone(pool, { who: cliWho(), action: `cli.${name.replace(/ /g, '.')}`, ids: cliIds(args), outcome }, clock.now());
}
