/**
 * Walks the audit chain from row 1 and names the first row that is wrong (OPS-2):
 *
 * - `changed`: a row's hash is not the hash of its content (its content was edited);
 * - `gap`: seq jumps (rows were deleted);
 * - `link`: a row's prev_hash is not the previous row's hash (a row was inserted,
 *   reordered or replaced with a forged one whose own hash was recomputed — the break
 *   shows at the first honest row after it);
 * - `truncated`: the head names a later row than the last one (the tail was deleted);
 * - `beyond_head`: rows after the head, or a head whose hash is not its row's (rows were
 *   appended or the head moved outside the append path).
 *
 * It reads in batches inside one read-only REPEATABLE READ transaction: memory stays
 * flat however long the log, and appends committing meanwhile are not half-seen.
 */
import type pg from 'pg';
import { withTransaction } from '../../db/tx.js';
import { GENESIS_HASH, hashRecord, type AuditRecord } from './chain.js';
import { readHead, recordsAfter } from './repo.js';

export type ChainProblem = 'changed' | 'gap' | 'link' | 'truncated' | 'beyond_head';

export type VerifyResult =
  | { kind: 'intact'; count: number; head: { seq: number; hash: string } }
  | { kind: 'broken'; seq: number; problem: ChainProblem; detail: string; checked: number };

export const VERIFY_BATCH = 1000;

/** The first thing wrong with `r` given the row before it, or undefined. */
export function checkRecord(r: AuditRecord, prev: { seq: number; hash: string }): { problem: ChainProblem; detail: string } | undefined {
  if (r.seq !== prev.seq + 1) return { problem: 'gap', detail: `expected seq ${prev.seq + 1}, found ${r.seq}: ${r.seq - prev.seq - 1} row(s) deleted` };
  const { hash, ...body } = r;
  if (hashRecord(body) !== hash) return { problem: 'changed', detail: `row ${r.seq}'s content does not match its hash: it was changed` };
  if (r.prevHash !== prev.hash) {
    return { problem: 'link', detail: `row ${r.seq}'s prev_hash is not row ${prev.seq}'s hash: a row before it was replaced, inserted or reordered` };
  }
  return undefined;
}

export function verifyChain(pool: pg.Pool, o: { batch?: number; onProgress?: (checked: number) => void } = {}): Promise<VerifyResult> {
  const batch = o.batch ?? VERIFY_BATCH;
  return withTransaction(pool, async (q): Promise<VerifyResult> => {
    const head = await readHead(q);
    let prev = { seq: 0, hash: GENESIS_HASH };
    let checked = 0;
    for (;;) {
      const rows = await recordsAfter(q, prev.seq, batch);
      for (const r of rows) {
        const wrong = checkRecord(r, prev);
        if (wrong) return { kind: 'broken', seq: r.seq, ...wrong, checked };
        if (r.seq > head.seq) return { kind: 'broken', seq: r.seq, problem: 'beyond_head', detail: `row ${r.seq} is after the head (seq ${head.seq}): appended outside the log`, checked };
        prev = { seq: r.seq, hash: r.hash };
        checked++;
      }
      o.onProgress?.(checked);
      if (rows.length < batch) break;
    }
    if (head.seq > prev.seq) return { kind: 'broken', seq: prev.seq + 1, problem: 'truncated', detail: `the head names row ${head.seq} but the log ends at row ${prev.seq}: rows ${prev.seq + 1}–${head.seq} deleted`, checked };
    if (head.hash !== prev.hash) return { kind: 'broken', seq: head.seq, problem: 'beyond_head', detail: `the head's hash is not row ${head.seq}'s: the head was rewritten`, checked };
    return { kind: 'intact', count: checked, head };
  }, { isolation: 'repeatable read', readOnly: true });
}
