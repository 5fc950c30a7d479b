/**
 * Forcing every account (or those active since a date) to choose a new password, as 7pay
 * had to for 16.5 million accounts: mark `must_reset_password`, end the sessions, record
 * a `password_reset_required` security event, queue an e-mail.
 *
 * Sessions end, remembered devices stay. A session may be held by whoever knew the old
 * password; a device credential sits only on the owner's phone, and signing in there
 * still needs the password, after which the only thing the session can do is replace it
 * (src/identity/reset-gate.ts). Forgetting devices too would send every customer through
 * an SMS second factor at once: millions of SMS in an hour, the gateway's limits hit, and
 * codes that expire before they arrive.
 *
 * Batches: each is one transaction that locks the run row, marks the next accounts after
 * the cursor (id order), and moves the cursor past them. Two processes resuming one run
 * queue on the run row and the second sees the first's cursor; a crash rolls back the
 * batch in flight, which the resume does again. So no account is processed twice and
 * none is skipped, and each notice's id is derived from run and account besides, so even
 * a replayed batch could not queue a second one.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { withTransaction } from '../../db/tx.js';
import type { Notifier } from '../../notify/notifier.js';
import type { Clock } from '../../shared/clock.js';
import { newUuid, uuidFromHex } from '../../shared/ids.js';
import { forcedResetEmail } from './notice.js';
import {
  advanceRun, countSelected, findRun, findRunningRun, insertResetEvents, insertRun, latestRuns, markNextBatch, revokeSessionsOf,
  type ResetRunRow,
} from './repo.js';

export interface ForcedResetDeps {
  pool: pg.Pool;
  clock: Clock;
  notifier: Notifier;
  publicUrl: string;
}

export interface ResetRun {
  id: string;
  status: 'running' | 'completed';
  reason: string;
  since: Date | null;
  total: number;
  processed: number;
  sessionsRevoked: number;
  noticesQueued: number;
  startedBy: string;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
}

/** Runs are shown as `rst_<32 hex>`, like every other public id. */
export const runPublicId = (uuid: string) => `rst_${uuid.replace(/-/g, '')}`;
export function runUuid(publicId: string): string | undefined {
  const m = /^rst_([0-9a-f]{32})$/.exec(publicId);
  return m ? uuidFromHex(m[1]!) : undefined;
}

const view = (r: ResetRunRow): ResetRun => ({
  id: runPublicId(r.id), status: r.status, reason: r.reason, since: r.since, total: Number(r.total),
  processed: Number(r.processed), sessionsRevoked: Number(r.sessions_revoked), noticesQueued: Number(r.notices_queued),
  startedBy: r.started_by, createdAt: r.created_at, updatedAt: r.updated_at, completedAt: r.completed_at,
});

/** The same id for the same (run, account) every time: a replayed notice is a no-op insert. */
function derivedId(runId: string, userId: string, what: string): string {
  const hex = createHash('sha256').update(`${what}:${runId}:${userId}`).digest('hex');
  // Shaped as a version-8 (custom) UUID.
  return uuidFromHex(`${hex.slice(0, 12)}8${hex.slice(13, 16)}${((parseInt(hex[16]!, 16) & 3) | 8).toString(16)}${hex.slice(17, 32)}`);
}

export type StartOutcome =
  | { kind: 'started'; run: ResetRun }
  | { kind: 'resuming'; run: ResetRun }
  | { kind: 'other_run_unfinished'; run: ResetRun }
  | { kind: 'not_found' }
  | { kind: 'already_completed'; run: ResetRun };

/**
 * Starts a run, or picks up the unfinished one: the same selection resumes it (an
 * operator who runs the same command again after a crash), a different one is refused
 * until the unfinished run is done.
 */
export async function startForcedReset(d: ForcedResetDeps, input: { reason: string; since: Date | null; startedBy: string }): Promise<StartOutcome> {
  const running = await findRunningRun(d.pool);
  if (running) {
    const same = (running.since?.getTime() ?? null) === (input.since?.getTime() ?? null);
    return same ? { kind: 'resuming', run: view(running) } : { kind: 'other_run_unfinished', run: view(running) };
  }
  const now = d.clock.now();
  const total = await countSelected(d.pool, now, input.since);
  const id = newUuid();
  if (!(await insertRun(d.pool, { id, reason: input.reason, since: input.since, total, startedBy: input.startedBy, now }))) {
    // Another operator started one between our look and our insert.
    const other = await findRunningRun(d.pool);
    if (other) return { kind: 'other_run_unfinished', run: view(other) };
    return startForcedReset(d, input);
  }
  return { kind: 'started', run: view((await findRun(d.pool, id))!) };
}

export async function resumeForcedReset(d: ForcedResetDeps, publicId: string): Promise<StartOutcome> {
  const id = runUuid(publicId);
  const run = id && (await findRun(d.pool, id));
  if (!run) return { kind: 'not_found' };
  return run.status === 'completed' ? { kind: 'already_completed', run: view(run) } : { kind: 'resuming', run: view(run) };
}

export type BatchOutcome = { kind: 'batch'; run: ResetRun; accounts: number } | { kind: 'completed'; run: ResetRun };

/** Processes the next batch of a run, in one transaction. */
export async function runBatch(d: ForcedResetDeps, publicId: string, batchSize: number): Promise<BatchOutcome> {
  const id = runUuid(publicId);
  if (!id) throw new Error(`not a reset run id: ${publicId}`);
  return withTransaction(d.pool, async (q): Promise<BatchOutcome> => {
    const run = await findRun(q, id, { lock: true });
    if (!run) throw new Error(`no reset run ${publicId}`);
    if (run.status === 'completed') return { kind: 'completed', run: view(run) };
    const now = d.clock.now();
    const accounts = await markNextBatch(q, run, batchSize);
    const userIds = accounts.map((a) => a.id);
    const sessionsRevoked = accounts.length ? await revokeSessionsOf(q, userIds, now) : 0;
    if (accounts.length) {
      await insertResetEvents(q, userIds.map((u) => ({ id: derivedId(id, u, 'event'), userId: u })), { via: 'operator', run: publicId }, now);
      await d.notifier.notifyMany(q, 'email', accounts.map((a) => {
        const mail = forcedResetEmail(a.locale, d.publicUrl);
        return { id: derivedId(id, a.id, 'notice'), message: { channel: 'email' as const, to: a.email, subject: mail.subject, text: mail.text } };
      }), { bulk: true }); // millions of them must not hold back the codes of customers signing in again
    }
    // RETURNING order is unspecified: the cursor is the largest id of the batch.
    const cursor = userIds.reduce<string | null>((max, u) => (max === null || u > max ? u : max), null);
    const done = accounts.length < batchSize;
    await advanceRun(q, id, { cursor, processed: accounts.length, sessionsRevoked, notices: accounts.length, done, now });
    const after = view((await findRun(q, id))!);
    return done ? { kind: 'completed', run: after } : { kind: 'batch', run: after, accounts: accounts.length };
  });
}

/**
 * Runs batches until the run completes or `signal` aborts (Ctrl-C): the batch in flight
 * finishes and commits first, so stopping never leaves half a batch.
 */
export async function driveForcedReset(
  d: ForcedResetDeps, publicId: string, o: { batchSize: number; signal?: AbortSignal; onBatch?: (run: ResetRun) => void },
): Promise<{ kind: 'completed' | 'interrupted'; run: ResetRun }> {
  for (;;) {
    const r = await runBatch(d, publicId, o.batchSize);
    o.onBatch?.(r.run);
    if (r.kind === 'completed') return { kind: 'completed', run: r.run };
    if (o.signal?.aborted) return { kind: 'interrupted', run: r.run };
  }
}

export async function resetRunStatus(d: Pick<ForcedResetDeps, 'pool'>, publicId?: string): Promise<ResetRun[] | 'not_found'> {
  if (publicId === undefined) return (await latestRuns(d.pool, 10)).map(view);
  const id = runUuid(publicId);
  const run = id && (await findRun(d.pool, id));
  return run ? [view(run)] : 'not_found';
}
