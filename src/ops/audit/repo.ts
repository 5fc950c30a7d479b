/** The audit log's SQL: the only place that reads or writes `audit_log` and `audit_head`. */
import type { Queryable } from '../../db/pool.js';
import type { AuditIds, AuditRecord } from './chain.js';

interface Row {
  seq: number; at: Date; who: string; action: string; ids: AuditIds; outcome: string; prev_hash: string; hash: string;
}

const toRecord = (r: Row): AuditRecord => ({ seq: r.seq, at: r.at, who: r.who, action: r.action, ids: r.ids, outcome: r.outcome, prevHash: r.prev_hash, hash: r.hash });

/**
 * Locks the chain's head for the rest of the transaction. Every append takes this lock
 * first, so appends run one after another and each sees the previous one's hash.
 */
export async function lockHead(q: Queryable): Promise<{ seq: number; hash: string }> {
  const res = await q.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE');
  const head = res.rows[0];
  if (!head) throw new Error('audit_head has no row: migration 0020 not applied?');
  return head;
}

export async function readHead(q: Queryable): Promise<{ seq: number; hash: string }> {
  const res = await q.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_head WHERE id = 1');
  return res.rows[0] ?? { seq: 0, hash: '' };
}

/** Inserts the row and moves the head to it; one round trip. */
export async function insertRecordAndMoveHead(q: Queryable, r: AuditRecord): Promise<void> {
  await q.query(
    `WITH ins AS (
       INSERT INTO audit_log (seq, at, who, action, ids, outcome, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     )
     UPDATE audit_head SET seq = $1, hash = $8 WHERE id = 1`,
    [r.seq, r.at, r.who, r.action, JSON.stringify(r.ids), r.outcome, r.prevHash, r.hash],
  );
}

/** Rows in seq order after `afterSeq`, for the verifier (which pages through the whole chain). */
export async function recordsAfter(q: Queryable, afterSeq: number, limit: number): Promise<AuditRecord[]> {
  const res = await q.query<Row>('SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2', [afterSeq, limit]);
  return res.rows.map(toRecord);
}

/** Newest first, before `beforeSeq` (exclusive) when given, optionally one operator's and since a time. */
export async function recordsBefore(q: Queryable, o: { beforeSeq?: number; limit: number; who?: string; since?: Date }): Promise<AuditRecord[]> {
  const res = await q.query<Row>(
    `SELECT * FROM audit_log
      WHERE ($1::bigint IS NULL OR seq < $1) AND ($2::text IS NULL OR who = $2) AND ($3::timestamptz IS NULL OR at >= $3)
      ORDER BY seq DESC LIMIT $4`,
    [o.beforeSeq ?? null, o.who ?? null, o.since ?? null, o.limit],
  );
  return res.rows.map(toRecord);
}
