/**
 * Kill-switch use cases (SPEC OPS-1): switch a feature off or on, globally or for one
 * store, and read the switches with their history. Store ids in and out are public
 * (`sto_…`); a malformed one is simply `store_not_found`. Expected outcomes are values.
 *
 * Every change is recorded, even one that sets what was already set: the history is what
 * operators did and why, not only what changed.
 */
import type pg from 'pg';
import type { Queryable } from '../../db/pool.js';
import { withTransaction } from '../../db/tx.js';
import { appendAudit } from '../audit/log.js';
import type { Clock } from '../../shared/clock.js';
import { fromPublicId, newUuid, toPublicId } from '../../shared/ids.js';
import { FEATURES, STORE_SCOPED, type Feature } from './features.js';
import { listChanges, listSwitches, nextSeq, recordChange, storeExists, type SwitchRow } from './repo.js';

export interface SwitchDeps {
  pool: pg.Pool;
  clock: Clock;
  /** Told after a change commits, so this process obeys it at once rather than at its next poll (./board.ts). */
  onChange?: () => Promise<void>;
}

export interface SwitchState {
  feature: Feature;
  /** Public store id; null for the switch that covers everyone. */
  storeId: string | null;
  storeName: string | null;
  off: boolean;
  reason: string | null;
  changedBy: string | null;
  changedAt: Date | null;
}

export interface SwitchInput {
  feature: Feature;
  storeId?: string | null | undefined;
  off: boolean;
  reason?: string | undefined;
  /** Who: the operator's id (`operator-token` for the shared token), or `cli:<user>`. */
  by: string;
  /**
   * Appends the change to the audit chain in its transaction. The operator API passes
   * its own (which also writes the action's log line); without it the change is appended
   * as `by` (the CLI).
   */
  record?: (q: Queryable, outcome: 'changed') => Promise<void>;
}

export type ChangeResult =
  | { kind: 'changed'; state: SwitchState }
  | { kind: 'store_not_found' }
  | { kind: 'not_store_scoped' }
  | { kind: 'reason_required' };

const view = (r: SwitchRow): SwitchState => ({
  feature: r.feature, storeId: r.store_id ? toPublicId('sto', r.store_id) : null, storeName: r.store_name,
  off: r.off, reason: r.reason, changedBy: r.changed_by, changedAt: r.changed_at,
});

export async function changeSwitch(deps: SwitchDeps, input: SwitchInput): Promise<ChangeResult> {
  const reason = input.reason?.trim() || null;
  if (input.off && !reason) return { kind: 'reason_required' };
  let storeId: string | null = null;
  if (input.storeId) {
    if (!STORE_SCOPED.has(input.feature)) return { kind: 'not_store_scoped' };
    storeId = fromPublicId('sto', input.storeId) ?? null;
    if (!storeId) return { kind: 'store_not_found' };
  }
  const now = deps.clock.now();
  const r = await withTransaction(deps.pool, async (q) => {
    if (storeId && !(await storeExists(q, storeId))) return { kind: 'store_not_found' as const };
    const seq = await nextSeq(q);
    await recordChange(q, { id: newUuid(), seq, feature: input.feature, storeId, off: input.off, reason, changedBy: input.by, changedAt: now });
    // In the change's transaction: a switch flipped without its audit row cannot commit.
    if (input.record) await input.record(q, 'changed');
    else await appendAudit(q, { who: input.by, action: input.off ? 'switch.off' : 'switch.on', ids: { feature: input.feature, storeId: input.storeId ?? undefined }, outcome: 'changed' }, now);
    return { kind: 'changed' as const };
  });
  if (r.kind !== 'changed') return r;
  await deps.onChange?.();
  const state = (await listSwitches(deps.pool)).find((s) => s.feature === input.feature && s.store_id === storeId);
  return { kind: 'changed', state: view(state!) };
}

export interface SwitchOverview {
  switches: SwitchState[];
  history: (Omit<SwitchState, 'changedBy' | 'changedAt'> & { changedBy: string; changedAt: Date })[];
}

/** Each feature's global switch (on and never touched when it has no row), then every store switch ever set. */
export async function switchOverview(deps: Pick<SwitchDeps, 'pool'>, historyLimit: number): Promise<SwitchOverview> {
  const rows = (await listSwitches(deps.pool)).map(view);
  const global = (f: Feature): SwitchState =>
    rows.find((s) => s.feature === f && s.storeId === null)
      ?? { feature: f, storeId: null, storeName: null, off: false, reason: null, changedBy: null, changedAt: null };
  const switches = [...FEATURES.map(global), ...rows.filter((s) => s.storeId !== null)];
  const history = historyLimit > 0 ? (await listChanges(deps.pool, historyLimit)).map((c) => ({ ...view(c), changedBy: c.changed_by, changedAt: c.changed_at })) : [];
  return { switches, history };
}
