/**
 * The ledger's use cases: single and two-phase transfers, linked groups, expiry.
 *
 * Every function runs inside the caller's transaction, so a business change (a top-up
 * record, a payment) and its transfers commit together. Transfer ids are chosen by the
 * caller: repeating a transfer with the same id and fields answers `exists` and changes
 * nothing; the same id with other fields is an `id_conflict`.
 *
 * Accounts are touched in a fixed order (by id) so two transfers between the same pair
 * of accounts in opposite directions cannot deadlock.
 */
import type { Queryable } from '../../db/pool.js';
import {
  applyDelta, applyDeltas, findAccount, findResolution, findTransfer, insertSingleTransfers, insertTransfer, lockExpiredPending,
  type Delta, type TransferRow,
} from './repo.js';

export interface NewTransfer {
  id: string;
  debitAccountId: string;
  creditAccountId: string;
  amount: number;
  kind: string;
  metadata?: Record<string, unknown>;
  reversesId?: string;
}

export type TransferSpec =
  | ({ phase: 'single' } & NewTransfer)
  | ({ phase: 'pending'; expiresAt: Date } & NewTransfer)
  | { phase: 'post_pending'; id: string; pendingId: string; amount?: number; metadata?: Record<string, unknown> }
  | { phase: 'void_pending'; id: string; pendingId: string; metadata?: Record<string, unknown> };

export type TransferOutcome =
  | { kind: 'created'; transfer: TransferRow }
  | { kind: 'exists'; transfer: TransferRow }
  | { kind: 'id_conflict' }
  | { kind: 'invalid_amount' }
  | { kind: 'same_account' }
  | { kind: 'insufficient_funds' }
  | { kind: 'account_not_found' }
  | { kind: 'pending_not_found' }
  | { kind: 'pending_already_resolved'; by: 'post_pending' | 'void_pending' }
  | { kind: 'pending_expired' }
  | { kind: 'amount_exceeds_pending' };

const ZERO: Delta = { debitsPosted: 0, debitsPending: 0, creditsPosted: 0, creditsPending: 0 };

function sameFields(a: TransferRow, b: Omit<TransferRow, 'created_at'>): boolean {
  return a.debit_account_id === b.debit_account_id && a.credit_account_id === b.credit_account_id && a.amount === b.amount
    && a.kind === b.kind && a.phase === b.phase && a.pending_id === b.pending_id && a.reverses_id === b.reverses_id;
}

/** The row a spec describes, once a pending transfer (for post/void) is known. */
function rowFor(spec: TransferSpec, pending: TransferRow | undefined): Omit<TransferRow, 'created_at'> {
  if (spec.phase === 'single' || spec.phase === 'pending') {
    return {
      id: spec.id, debit_account_id: spec.debitAccountId, credit_account_id: spec.creditAccountId, amount: spec.amount,
      kind: spec.kind, phase: spec.phase, pending_id: null, expires_at: spec.phase === 'pending' ? spec.expiresAt : null,
      reverses_id: spec.reversesId ?? null, metadata: spec.metadata ?? {},
    };
  }
  const p = pending!;
  return {
    id: spec.id, debit_account_id: p.debit_account_id, credit_account_id: p.credit_account_id,
    amount: spec.phase === 'post_pending' ? spec.amount ?? p.amount : p.amount,
    kind: p.kind, phase: spec.phase, pending_id: p.id, expires_at: null, reverses_id: null, metadata: spec.metadata ?? {},
  };
}

/** How a transfer moves the debit and credit accounts' totals. */
function deltas(row: Omit<TransferRow, 'created_at'>, pending: TransferRow | undefined): { debit: Delta; credit: Delta } {
  const a = row.amount;
  switch (row.phase) {
    case 'single': return { debit: { ...ZERO, debitsPosted: a }, credit: { ...ZERO, creditsPosted: a } };
    case 'pending': return { debit: { ...ZERO, debitsPending: a }, credit: { ...ZERO, creditsPending: a } };
    case 'post_pending': {
      const p = pending!.amount;
      return { debit: { ...ZERO, debitsPosted: a, debitsPending: -p }, credit: { ...ZERO, creditsPosted: a, creditsPending: -p } };
    }
    case 'void_pending': {
      const p = pending!.amount;
      return { debit: { ...ZERO, debitsPending: -p }, credit: { ...ZERO, creditsPending: -p } };
    }
  }
}

export interface CreateOptions {
  /**
   * The caller made the id just now (never sent before), so no earlier attempt can exist:
   * skips the look-up that lets a retry answer `exists`. A clash is still caught by the
   * insert and answered as a retry would be.
   */
  fresh?: boolean;
}

export async function createTransfer(q: Queryable, spec: TransferSpec, now: Date, opts: CreateOptions = {}): Promise<TransferOutcome> {
  let pending: TransferRow | undefined;
  if (spec.phase === 'post_pending' || spec.phase === 'void_pending') {
    // Locking the pending row serialises everything that would resolve it.
    pending = await findTransfer(q, spec.pendingId, { lock: true });
    if (!pending || pending.phase !== 'pending') return { kind: 'pending_not_found' };
  }
  const row = rowFor(spec, pending);
  if (!Number.isSafeInteger(row.amount) || row.amount <= 0) return { kind: 'invalid_amount' };
  if (row.debit_account_id === row.credit_account_id) return { kind: 'same_account' };

  const existing = opts.fresh ? undefined : await findTransfer(q, row.id);
  if (existing) return sameFields(existing, row) ? { kind: 'exists', transfer: existing } : { kind: 'id_conflict' };

  if (pending) {
    const resolution = await findResolution(q, pending.id);
    if (resolution) return { kind: 'pending_already_resolved', by: resolution.phase as 'post_pending' | 'void_pending' };
    if (spec.phase === 'post_pending' && pending.expires_at!.getTime() <= now.getTime()) return { kind: 'pending_expired' };
    if (row.amount > pending.amount) return { kind: 'amount_exceeds_pending' };
  }

  // Totals first, in account-id order; then the row. Whatever refuses takes back what
  // this call already moved, so every outcome is a value and the caller's transaction
  // stays usable.
  const { debit, credit } = deltas(row, pending);
  const steps: [string, Delta][] = [[row.debit_account_id, debit], [row.credit_account_id, credit]];
  steps.sort((x, y) => (x[0] < y[0] ? -1 : 1));
  for (const [i, [accountId, delta]] of steps.entries()) {
    if (!(await applyDelta(q, accountId, delta))) {
      await undo(q, steps.slice(0, i));
      return (await findAccount(q, accountId)) ? { kind: 'insufficient_funds' } : { kind: 'account_not_found' };
    }
  }
  const transfer: TransferRow = { ...row, created_at: now };
  if (!(await insertTransfer(q, transfer))) {
    // A concurrent caller with the same id committed first: answer as a retry would.
    await undo(q, steps);
    const winner = (await findTransfer(q, row.id))!;
    return sameFields(winner, row) ? { kind: 'exists', transfer: winner } : { kind: 'id_conflict' };
  }
  return { kind: 'created', transfer };
}

/**
 * Posts single-phase transfers whose ids the caller made just now, in two statements
 * whatever their number: every account's totals, summed per account (a hot account is
 * written once per batch, not once per transfer), then the rows. For callers that hold
 * the debit accounts locked and have checked their funds (the payment batch), so a
 * refusal here is a bug: it throws, and the caller's transaction rolls back.
 */
export async function postFreshTransfers(q: Queryable, transfers: readonly NewTransfer[], now: Date): Promise<TransferRow[]> {
  if (transfers.length === 0) return [];
  const totals = new Map<string, Delta>();
  const add = (id: string, d: Partial<Delta>) => {
    const t = totals.get(id) ?? { ...ZERO };
    totals.set(id, { ...t, debitsPosted: t.debitsPosted + (d.debitsPosted ?? 0), creditsPosted: t.creditsPosted + (d.creditsPosted ?? 0) });
  };
  for (const t of transfers) {
    if (!Number.isSafeInteger(t.amount) || t.amount <= 0 || t.debitAccountId === t.creditAccountId || t.reversesId) {
      throw new Error(`ledger: postFreshTransfers takes plain transfers of a positive amount between two accounts (${t.id})`);
    }
    add(t.debitAccountId, { debitsPosted: t.amount });
    add(t.creditAccountId, { creditsPosted: t.amount });
  }
  const changes = [...totals.entries()].sort((x, y) => (x[0] < y[0] ? -1 : 1));
  const changed = await applyDeltas(q, changes);
  if (changed.length !== changes.length) throw new Error('ledger: a batch of transfers was refused (an account missing or short of funds)');
  const rows: TransferRow[] = transfers.map((t) => ({
    id: t.id, debit_account_id: t.debitAccountId, credit_account_id: t.creditAccountId, amount: t.amount, kind: t.kind,
    phase: 'single', pending_id: null, expires_at: null, reverses_id: null, metadata: t.metadata ?? {}, created_at: now,
  }));
  if ((await insertSingleTransfers(q, rows, now)) !== rows.length) throw new Error('ledger: a fresh transfer id was taken');
  return rows;
}

async function undo(q: Queryable, applied: readonly [string, Delta][]): Promise<void> {
  for (const [accountId, d] of applied) {
    const back = { debitsPosted: -d.debitsPosted, debitsPending: -d.debitsPending, creditsPosted: -d.creditsPosted, creditsPending: -d.creditsPending };
    // Taking back a change this transaction just made, on a row it holds locked, cannot be refused.
    if (!(await applyDelta(q, accountId, back))) throw new Error('ledger: could not take back a change to an account');
  }
}

export type LinkedOutcome =
  | { kind: 'created'; outcomes: TransferOutcome[] }
  | { kind: 'failed'; index: number; outcome: TransferOutcome };

/**
 * Transfers that succeed or fail together (a payment and its fee, say). A savepoint
 * lets one failure undo its earlier siblings without aborting the caller's transaction.
 */
export async function createLinked(q: Queryable, specs: readonly TransferSpec[], now: Date): Promise<LinkedOutcome> {
  await q.query('SAVEPOINT ledger_linked');
  const outcomes: TransferOutcome[] = [];
  for (const [index, spec] of specs.entries()) {
    const outcome = await createTransfer(q, spec, now);
    if (outcome.kind !== 'created' && outcome.kind !== 'exists') {
      await q.query('ROLLBACK TO SAVEPOINT ledger_linked');
      return { kind: 'failed', index, outcome };
    }
    outcomes.push(outcome);
  }
  await q.query('RELEASE SAVEPOINT ledger_linked');
  return { kind: 'created', outcomes };
}

/** Voids pending transfers past their expiry; returns how many. Safe to run on many servers. */
export async function voidExpired(q: Queryable, now: Date, limit: number, newId: () => string): Promise<number> {
  const expired = await lockExpiredPending(q, now, limit);
  for (const p of expired) {
    await createTransfer(q, { phase: 'void_pending', id: newId(), pendingId: p.id, metadata: { reason: 'expired' } }, now);
  }
  return expired.length;
}
