/**
 * `npm run ops -- audit verify|show`: check the audit chain (OPS-2) and read it.
 *
 * `verify` exits 0 with the count and the head's hash when every link holds, and 1
 * naming the first wrong row and what is wrong with it (./verify.ts). Keep the printed
 * head hash somewhere the database's writers cannot reach: a history rewritten from
 * some row onwards will no longer end in it.
 */
import type { Command } from '../command.js';
import { recordsBefore } from './repo.js';
import { verifyChain } from './verify.js';

export const auditCommands: readonly Command[] = [
  {
    name: 'audit verify', usage: '', summary: 'Walk the hash-chained audit log; exit 1 naming the first wrong row', selfAudited: true,
    async run(ctx) {
      const r = await verifyChain(ctx.pool, { onProgress: (n) => { if (n % 100_000 === 0 && n > 0) ctx.err(`${n} rows checked…`); } });
      if (r.kind === 'intact') {
        ctx.out(`audit log intact: ${r.count} rows; head seq ${r.head.seq} hash ${r.head.hash}`);
        return 0;
      }
      ctx.out(`audit log BROKEN at row ${r.seq} (${r.problem}): ${r.detail}; ${r.checked} rows before it are intact`);
      return 1;
    },
  },
  {
    name: 'audit show', usage: '[--since <ISO time>] [--who <opr_…|operator-token|cli:user>] [--limit <n>]',
    summary: 'The audit log, newest first', optional: ['since', 'who', 'limit'], selfAudited: true,
    async run(ctx, { options }) {
      const since = options.since ? new Date(options.since) : undefined;
      if (since && Number.isNaN(since.getTime())) {
        ctx.err(`--since: not a time: ${options.since}`);
        return 2;
      }
      const limit = options.limit ? Number(options.limit) : 50;
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
        ctx.err('--limit: a whole number from 1 to 10000');
        return 2;
      }
      const rows = await recordsBefore(ctx.pool, { limit, ...(since ? { since } : {}), ...(options.who ? { who: options.who } : {}) });
      for (const r of rows) {
        const ids = Object.entries(r.ids).map(([k, v]) => `${k}=${v}`).join(' ');
        ctx.out(`${String(r.seq).padStart(7)}  ${r.at.toISOString()}  ${r.who}  ${r.action}  ${r.outcome}${ids ? `  ${ids}` : ''}`);
      }
      return 0;
    },
  },
];
