/**
 * Appending to the audit log. `appendAudit` writes into the caller's transaction, so an
 * action and its audit row commit together or not at all; `appendAuditAlone` is for
 * callers with no transaction to join (reads, and modules whose transactions are their
 * own), and commits the row at once.
 *
 * Appends are serialised by the head row's lock: two transactions that both append
 * line up at `lockHead`, the second reads the first's hash after it commits, and the
 * chain never forks. The lock is held until the caller's transaction ends, so append as
 * late in a transaction as its structure allows.
 */
import type pg from 'pg';
import type { Queryable } from '../../db/pool.js';
import { withTransaction } from '../../db/tx.js';
import { nextRecord, type AuditEntry, type AuditRecord } from './chain.js';
import { insertRecordAndMoveHead, lockHead } from './repo.js';

export async function appendAudit(q: Queryable, e: AuditEntry, at: Date): Promise<AuditRecord> {
  const head = await lockHead(q);
  const record = nextRecord(head, e, at);
  await insertRecordAndMoveHead(q, record);
  return record;
}

export function appendAuditAlone(pool: pg.Pool, e: AuditEntry, at: Date): Promise<AuditRecord> {
  return withTransaction(pool, (q) => appendAudit(q, e, at));
}
