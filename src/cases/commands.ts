/** Operator commands for cases (RISK-2, OPS-3): the case report. */
import type { Command } from '../ops/command.js';
import { exportCases } from './export.js';
import { CASE_KINDS, CASE_STATUSES, type CaseKind, type CaseStatus } from './types.js';

const oneOf = <T extends string>(all: readonly T[], v: string | undefined): v is T => v !== undefined && (all as readonly string[]).includes(v);

export const caseCommands: readonly Command[] = [
  {
    name: 'cases export', usage: '--format csv|json [--status open|approved|rejected|closed] [--kind risk_hold|risk_flag|claim] [--since <YYYY-MM-DD or ISO time>]',
    options: ['format'], optional: ['status', 'kind', 'since'],
    summary: 'Print the cases (oldest first) with their evidence and decisions, as CSV or JSON',
    async run(ctx, { options }) {
      const format = options.format!;
      if (format !== 'json' && format !== 'csv') {
        ctx.err(`--format must be json or csv, not ${format}`);
        return 2;
      }
      if (options.status !== undefined && !oneOf(CASE_STATUSES, options.status)) {
        ctx.err(`--status must be one of ${CASE_STATUSES.join(', ')}`);
        return 2;
      }
      if (options.kind !== undefined && !oneOf(CASE_KINDS, options.kind)) {
        ctx.err(`--kind must be one of ${CASE_KINDS.join(', ')}`);
        return 2;
      }
      // A bare date is midnight in Japan, the day operators think in.
      const since = options.since === undefined ? undefined
        : new Date(/^\d{4}-\d{2}-\d{2}$/.test(options.since) ? `${options.since}T00:00:00+09:00` : options.since);
      if (since && Number.isNaN(since.getTime())) {
        ctx.err(`--since ${options.since}: not a date`);
        return 2;
      }
      ctx.out(await exportCases(ctx.pool, { status: options.status as CaseStatus | undefined, kind: options.kind as CaseKind | undefined, since }, format));
      return 0;
    },
  },
];
