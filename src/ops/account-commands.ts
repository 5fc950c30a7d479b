/**
 * `npm run ops -- accounts freeze|limits` and `passwords force-reset|reset-status`: the commands
 * for an incident like 7pay's, when the console's one-customer-at-a-time is too slow.
 * Unfreezing is not here on purpose: it needs two operators' approval (the console).
 * `accounts limits` is: a lowering applies at once, a raise becomes a request (by
 * `cli:<user>`) that an operator other than the machine approves in the console.
 * Changes are recorded as made by `cli:<operating-system user>`.
 */
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { secretBytes } from '../secrets.js';
import type { Command, CommandArgs, OpsContext } from './command.js';
import { duration, Progress } from './progress.js';
import type { ResetRun, StartOutcome } from '../identity/forced-reset/service.js';

function who(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

/** Loaded when used: the console's service pulls in the wallet and identity modules. */
async function notifierOf(ctx: OpsContext) {
  const [{ Notifier, notifyHandlers }, { Outbox }, { createLogger }] = await Promise.all([
    import('../notify/notifier.js'), import('../outbox/outbox.js'), import('../shared/logger.js'),
  ]);
  // Only to know each channel's retry policy: the servers' workers deliver.
  const handlers = notifyHandlers({ senders: {}, devOutbox: undefined, logger: createLogger({ level: 'silent', knownSecrets: [] }) });
  return new Notifier(new Outbox(handlers, ctx.clock));
}

async function consoleDepsOf(ctx: OpsContext) {
  const [{ SecurityEvents }, { FreezeLinks }] = await Promise.all([import('../identity/events.js'), import('../identity/freeze-links.js')]);
  const publicUrl = ctx.config.http.publicUrl;
  const events = new SecurityEvents(await notifierOf(ctx), publicUrl, new FreezeLinks(secretBytes(ctx.config.secrets.signingKey), publicUrl));
  return { pool: ctx.pool, clock: ctx.clock, limits: ctx.config.limits, events };
}

const FREEZE_BATCH = 200;

/** The ids a file names: one per line, blank lines, `#` comments and repeats ignored. */
export function idsInFile(text: string): string[] {
  return [...new Set(text.split(/\r?\n/).map((l) => l.replace(/#.*/, '').trim()).filter(Boolean))];
}

const freeze: Command = {
  name: 'accounts freeze', usage: '(--id usr_… | --email <address> | --file <ids.txt>) --reason <why>',
  summary: 'Freeze customers as the console does (sessions and devices end, the customer is told); already frozen ones are skipped',
  options: ['reason'], optional: ['id', 'email', 'file'],
  async run(ctx, { options }) {
    const given = (['id', 'email', 'file'] as const).filter((o) => options[o]);
    if (given.length !== 1) {
      ctx.err('name the accounts with exactly one of --id, --email or --file');
      return 2;
    }
    const reason = options.reason!.trim();
    if (!reason || reason.length > 500) {
      ctx.err('--reason must be 1 to 500 characters');
      return 2;
    }
    const { findCustomer, freezeCustomer } = await import('./console/customers.js');
    const { fromPublicId, toPublicId } = await import('../shared/ids.js');
    const { findUsers } = await import('../identity/repo/users.js');
    const deps = await consoleDepsOf(ctx);

    let lines: string[];
    if (options.file) {
      try {
        lines = idsInFile(await readFile(options.file, 'utf8'));
      } catch (err) {
        ctx.err(`cannot read ${options.file}: ${(err as Error).message}`);
        return 2;
      }
    } else {
      const user = await findCustomer(ctx.pool, options.id ?? options.email!);
      if (!user) {
        ctx.err(`no customer ${options.id ?? options.email}`);
        return 1;
      }
      lines = [toPublicId('usr', user.id)];
    }

    const counts = { frozen: 0, alreadyFrozen: 0, notFound: 0, invalid: 0, sessionsRevoked: 0 };
    const operatorId = who();
    for (let i = 0; i < lines.length; i += FREEZE_BATCH) {
      const batch = lines.slice(i, i + FREEZE_BATCH);
      const uuids = batch.map((l) => fromPublicId('usr', l));
      for (const [j, l] of batch.entries()) if (!uuids[j]) ctx.err(`not a customer id: ${l}`);
      counts.invalid += uuids.filter((u) => !u).length;
      // One look-up per batch finds the missing and the already frozen.
      const found = new Map((await findUsers(ctx.pool, uuids.filter((u): u is string => !!u))).map((u) => [u.id, u]));
      for (const uuid of new Set(uuids)) {
        if (!uuid) continue;
        const user = found.get(uuid);
        if (!user) counts.notFound++;
        else if (user.frozen_at) counts.alreadyFrozen++;
        else {
          const r = await freezeCustomer(deps, toPublicId('usr', uuid), { reason, operatorId });
          if (r.kind === 'frozen') {
            counts.frozen++;
            counts.sessionsRevoked += r.sessionsRevoked;
          } else counts.notFound++;
        }
      }
      if (lines.length > FREEZE_BATCH) ctx.err(`${Math.min(i + FREEZE_BATCH, lines.length)}/${lines.length} ids done`);
    }
    ctx.out(`frozen ${counts.frozen}, already frozen (skipped) ${counts.alreadyFrozen}, not found ${counts.notFound}, invalid ${counts.invalid}; sessions ended ${counts.sessionsRevoked}`);
    return counts.notFound || counts.invalid ? 1 : 0;
  },
};

const describeRun = (r: ResetRun) => [
  `${r.id}  ${r.status}  ${r.processed}/${r.total} accounts`,
  `  reason: ${r.reason}`,
  `  selection: ${r.since ? `created or signed in since ${r.since.toISOString()}` : 'every account'}`,
  `  sessions ended ${r.sessionsRevoked}, notices queued ${r.noticesQueued}`,
  `  started ${r.createdAt.toISOString()} by ${r.startedBy}; ${r.completedAt ? `completed ${r.completedAt.toISOString()}` : `last batch ${r.updatedAt.toISOString()}`}`,
];

const forceReset: Command = {
  name: 'passwords force-reset', usage: '(--all | --since <date>) --reason <why> [--batch 1000] | --resume <run-id>',
  summary: 'Make every account (or those active since a date) choose a new password; resumable, in batches',
  flags: ['all'], optional: ['since', 'reason', 'resume', 'batch'],
  async run(ctx, { options }) {
    const batchSize = Number(options.batch ?? 1000);
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
      ctx.err('--batch must be a whole number from 1 to 10000');
      return 2;
    }
    const service = await import('../identity/forced-reset/service.js');
    const deps = { pool: ctx.pool, clock: ctx.clock, notifier: await notifierOf(ctx), publicUrl: ctx.config.http.publicUrl };

    let started: StartOutcome;
    if (options.resume) {
      if (options.all || options.since) {
        ctx.err('--resume continues a run as it was started: no --all or --since with it');
        return 2;
      }
      started = await service.resumeForcedReset(deps, options.resume);
    } else {
      if (!!options.all === !!options.since) {
        ctx.err('say which accounts: --all, or --since <date> (not both)');
        return 2;
      }
      const since = options.since ? new Date(options.since) : null;
      if (since && Number.isNaN(since.getTime())) {
        ctx.err(`--since: not a date: ${options.since} (e.g. 2019-07-01 or 2019-07-01T00:00:00+09:00)`);
        return 2;
      }
      const reason = options.reason?.trim() ?? '';
      if (!reason || reason.length > 500) {
        ctx.err('say why with --reason "…" (at most 500 characters)');
        return 2;
      }
      started = await service.startForcedReset(deps, { reason, since, startedBy: who() });
    }
    switch (started.kind) {
      case 'not_found': ctx.err(`no reset run ${options.resume}`); return 1;
      case 'already_completed': ctx.err(`run ${started.run.id} is already completed`); return 1;
      case 'other_run_unfinished':
        ctx.err(`run ${started.run.id} (${started.run.processed}/${started.run.total}) is unfinished with another selection;`);
        ctx.err(`finish it first: passwords force-reset --resume ${started.run.id}`);
        return 1;
      case 'started': ctx.out(`run ${started.run.id} started: ${started.run.total} accounts selected`); break;
      case 'resuming': ctx.out(`resuming run ${started.run.id}: ${started.run.processed}/${started.run.total} accounts done before`); break;
    }
    const runId = started.run.id;
    const progress = new Progress(ctx.progress, { label: 'accounts', total: started.run.total, doneBefore: started.run.processed });
    // Ctrl-C: finish and commit the batch in flight, then stop; a second Ctrl-C stops at once
    // (the entry point exits; the batch rolls back, and the resume does it again).
    const stop = new AbortController();
    const unsubscribe = ctx.onInterrupt(() => {
      stop.abort();
      ctx.err('stopping after the current batch (Ctrl-C again to stop now)');
    });
    const began = Date.now();
    try {
      const r = await service.driveForcedReset(deps, runId, { batchSize, signal: stop.signal, onBatch: (run) => progress.update(run.processed) });
      progress.finish(r.run.processed);
      const seconds = (Date.now() - began) / 1000;
      const rate = seconds > 0 ? Math.round((r.run.processed - started.run.processed) / seconds) : 0;
      for (const l of describeRun(r.run)) ctx.out(l);
      ctx.out(`this process: ${r.run.processed - started.run.processed} accounts in ${duration(seconds)} (${rate}/s)`);
      if (r.kind === 'interrupted') {
        ctx.err(`interrupted; resume with: npm run ops -- passwords force-reset --resume ${runId}`);
        return 130;
      }
      return 0;
    } finally {
      unsubscribe();
    }
  },
};

const resetStatus: Command = {
  name: 'passwords reset-status', usage: '[run-id]', optionalPositionals: 1,
  summary: 'Forced password reset runs: the latest ten, or one',
  async run(ctx, { positionals: [runId] }) {
    const { resetRunStatus } = await import('../identity/forced-reset/service.js');
    const runs = await resetRunStatus(ctx, runId);
    if (runs === 'not_found') {
      ctx.err(`no reset run ${runId}`);
      return 1;
    }
    if (!runs.length) ctx.out('no forced password reset has been run');
    for (const r of runs) for (const l of describeRun(r)) ctx.out(l);
    return 0;
  },
};

/** `--card-topup-24h` … → the API's names; `default` (or `null`) goes back to the configured value. */
const LIMIT_OPTIONS = { 'card-topup-24h': 'cardTopup24h', 'card-topup-30d': 'cardTopup30d', 'balance-max': 'balanceMax', 'payment-24h': 'payment24h' } as const;

export function limitChangesOf(options: CommandArgs['options']): Record<string, number | null> | string {
  const changes: Record<string, number | null> = {};
  for (const [option, name] of Object.entries(LIMIT_OPTIONS)) {
    const v = options[option]?.trim();
    if (v === undefined) continue;
    if (v === 'default' || v === 'null') changes[name] = null;
    else if (/^\d{1,9}$/.test(v) && Number(v) <= 100_000_000) changes[name] = Number(v);
    else return `--${option} must be whole yen from 0 to 100000000, or default`;
  }
  return Object.keys(changes).length ? changes : 'name at least one limit: --card-topup-24h, --card-topup-30d, --balance-max or --payment-24h';
}

const limits: Command = {
  name: 'accounts limits', usage: '<usr_…> [--card-topup-24h N] [--card-topup-30d N] [--balance-max N] [--payment-24h N] --reason <why>   (N: yen or `default`)',
  summary: "Change one customer's limits; a raise above the default waits for a second operator's approval in the console",
  positionals: 1, options: ['reason'], optional: Object.keys(LIMIT_OPTIONS),
  // The change and its audit row commit together (src/ops/console/limits.ts).
  selfAudited: true,
  async run(ctx, { positionals: [customerId], options }) {
    const changes = limitChangesOf(options);
    if (typeof changes === 'string') {
      ctx.err(changes);
      return 2;
    }
    const reason = options.reason!.trim();
    if (reason.length < 3 || reason.length > 500) {
      ctx.err('--reason must be 3 to 500 characters');
      return 2;
    }
    const [{ changeCustomerLimits, limitsApprovalKind, LIMITS_KIND }, { approvalKind, registerApprovalKind }, { appendAudit }] = await Promise.all([
      import('./console/limits.js'), import('./approvals/registry.js'), import('./audit/log.js'),
    ]);
    const deps = { ...(await consoleDepsOf(ctx)), limitsApproval: { raiseThresholdYen: ctx.config.approvals.limitRaiseYen, ttlMs: ctx.config.approvals.ttlMs } };
    // A request needs its kind known here; a server performs it when a second operator
    // approves. Run in a server's process (tests), the server's registration stays.
    if (!approvalKind(LIMITS_KIND)) registerApprovalKind(limitsApprovalKind(deps));
    const by = who();
    const r = await changeCustomerLimits(deps, customerId!, {
      by, reason, changes,
      record: (q, outcome, change) => appendAudit(q, { who: by, action: 'customer.limits', ids: { customerId, reason, change: change || undefined }, outcome }, ctx.clock.now()).then(() => undefined),
    });
    switch (r.kind) {
      case 'not_found': ctx.err(`no customer ${customerId}`); return 1;
      case 'unchanged': ctx.out(`${customerId}: already so; nothing changed`); return 0;
      case 'changed':
        ctx.out(`${customerId}: changed; card top-ups ¥${r.limits.cardTopup.per24h}/24 h, ¥${r.limits.cardTopup.per30d}/30 days; balance up to ¥${r.limits.balanceMax}; payments ¥${r.limits.payment.per24h}/24 h`);
        return 0;
      case 'approval_requested':
        ctx.out(`${customerId}: a raise needs a second operator: request ${r.request.id} is pending (approve it in the console, or POST /ops/v1/approvals/${r.request.id}/approve)`);
        return 0;
    }
  },
};

export const accountCommands: readonly Command[] = [freeze, forceReset, resetStatus, limits];
