/** Every SQL statement of the kill switches (migrations/0017_switches.sql). */
import type { Queryable } from '../../db/pool.js';
import type { Feature } from './features.js';

export interface SwitchRow {
  feature: Feature;
  store_id: string | null;
  store_name: string | null;
  off: boolean;
  reason: string | null;
  changed_by: string;
  changed_at: Date;
}

export interface ChangeRow extends SwitchRow {
  seq: number;
}

/** The counter every change moves on: what each server polls. */
export async function readVersion(q: Queryable): Promise<number> {
  const r = await q.query<{ version: number }>({ name: 'switches.version', text: 'SELECT version FROM feature_switch_version' });
  return r.rows[0]!.version;
}

/**
 * The switches that are off, with the counter read in the same statement, so the state
 * is exactly the one that version names (a change committing between two statements
 * would otherwise pair an old version with a newer state, or the reverse).
 */
export async function readOffSwitches(q: Queryable): Promise<{ version: number; off: { feature: Feature; store_id: string | null }[] }> {
  const r = await q.query<{ version: number; feature: Feature | null; store_id: string | null }>(
    `SELECT v.version, s.feature, s.store_id FROM feature_switch_version v LEFT JOIN feature_switches s ON s.off`,
  );
  return {
    version: r.rows[0]!.version,
    off: r.rows.filter((x) => x.feature !== null).map((x) => ({ feature: x.feature!, store_id: x.store_id })),
  };
}

export async function storeExists(q: Queryable, storeId: string): Promise<boolean> {
  return (await q.query('SELECT 1 FROM stores WHERE id = $1', [storeId])).rowCount === 1;
}

/** Moves the counter on and answers the new value; its row lock puts concurrent changes in line. */
export async function nextSeq(q: Queryable): Promise<number> {
  const r = await q.query<{ version: number }>('UPDATE feature_switch_version SET version = version + 1 RETURNING version');
  return r.rows[0]!.version;
}

export interface SwitchChange {
  id: string;
  seq: number;
  feature: Feature;
  storeId: string | null;
  off: boolean;
  reason: string | null;
  changedBy: string;
  changedAt: Date;
}

/** Sets the current state and appends the change to the history; call after `nextSeq`, in its transaction. */
export async function recordChange(q: Queryable, c: SwitchChange): Promise<void> {
  const values = [c.feature, c.storeId, c.off, c.reason, c.changedBy, c.changedAt, c.seq];
  // No race between the update and the insert: nextSeq's row lock is held.
  const updated = await q.query(
    `UPDATE feature_switches SET off = $3, reason = $4, changed_by = $5, changed_at = $6, seq = $7
      WHERE feature = $1 AND store_id IS NOT DISTINCT FROM $2`, values);
  if (updated.rowCount === 0) {
    await q.query(
      `INSERT INTO feature_switches (id, feature, store_id, off, reason, changed_by, changed_at, seq) VALUES ($8, $1, $2, $3, $4, $5, $6, $7)`,
      [...values, c.id]);
  }
  await q.query(
    `INSERT INTO feature_switch_changes (seq, feature, store_id, off, reason, changed_by, changed_at) VALUES ($7, $1, $2, $3, $4, $5, $6)`,
    values);
}

/** Every switch ever set, global ones first, with the store's name. */
export async function listSwitches(q: Queryable): Promise<SwitchRow[]> {
  return (await q.query<SwitchRow>(
    `SELECT s.feature, s.store_id, st.name AS store_name, s.off, s.reason, s.changed_by, s.changed_at
       FROM feature_switches s LEFT JOIN stores st ON st.id = s.store_id
      ORDER BY s.store_id IS NOT NULL, s.feature, st.name, s.store_id`,
  )).rows;
}

/** The newest changes first. */
export async function listChanges(q: Queryable, limit: number): Promise<ChangeRow[]> {
  return (await q.query<ChangeRow>(
    `SELECT c.seq, c.feature, c.store_id, st.name AS store_name, c.off, c.reason, c.changed_by, c.changed_at
       FROM feature_switch_changes c LEFT JOIN stores st ON st.id = c.store_id
      ORDER BY c.seq DESC LIMIT $1`,
    [limit],
  )).rows;
}
