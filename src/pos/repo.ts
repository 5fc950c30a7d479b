/** SQL for the nonces of signed POS requests. */
import type pg from 'pg';
import { withStatements } from '../db/tx.js';

/** One accepted request's nonce, to record. */
export interface NonceUse {
  terminalId: string;
  nonce: string;
  /** This request's own id for the recording: a retried recording recognises its own row by it. */
  useId: string;
  seenAt: Date;
  /** The terminal's nonces seen before this are pruned (they could no longer pass the clock check). */
  pruneBefore: Date;
}

/**
 * Records the nonces of concurrent requests in one statement (src/pos/verify.ts gathers
 * them with a Batcher); for each use, false when its terminal already used that nonce.
 * When one nonce of one terminal appears twice in `uses`, only the first can be true.
 *
 * The same statement prunes the batch's terminals' nonces seen before the earliest
 * `pruneBefore` of the batch (the others' rows go at their next request), so the table
 * stays small without a timer: each batch pays for short index range scans over its own
 * terminals' oldest rows. A terminal that falls silent keeps its last window of nonces
 * until its next request — a bounded handful per terminal.
 *
 * Rows go in in key order (ORDER BY), so two batches that share nonces wait for each
 * other rather than deadlock. One statement, retried: under SERIALIZABLE (and on
 * distributed engines) two concurrent uses of one nonce can end in 40001, and the retry
 * then sees the winner. A recording that committed but whose answer was lost (a reset
 * connection; the batch then runs again item by item) finds its own row by `useId` and
 * is granted, not refused as a replay of itself.
 */
export async function recordNonces(pool: pg.Pool, uses: readonly NonceUse[]): Promise<boolean[]> {
  const distinct = new Map<string, NonceUse>();
  for (const u of uses) if (!distinct.has(nonceKey(u.terminalId, u.nonce))) distinct.set(nonceKey(u.terminalId, u.nonce), u);
  const rows = [...distinct.values()];
  if (rows.length === 0) return [];
  const pruneBefore = new Date(Math.min(...rows.map((u) => u.pruneBefore.getTime())));
  const inserted = await withStatements(pool, async (c) => {
    const res = await c.query<{ terminal_id: string; nonce: string }>(
      `WITH pruned AS (DELETE FROM pos_nonces WHERE terminal_id = ANY ($1::uuid[]) AND seen_at < $4)
       INSERT INTO pos_nonces (terminal_id, nonce, seen_at, use_id)
       SELECT terminal_id, nonce, seen_at, use_id FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $5::uuid[]) AS u (terminal_id, nonce, seen_at, use_id)
        ORDER BY terminal_id, nonce
       ON CONFLICT (terminal_id, nonce) DO UPDATE SET use_id = EXCLUDED.use_id WHERE pos_nonces.use_id = EXCLUDED.use_id
       RETURNING terminal_id, nonce`,
      [rows.map((u) => u.terminalId), rows.map((u) => u.nonce), rows.map((u) => u.seenAt), pruneBefore, rows.map((u) => u.useId)],
    );
    return new Set(res.rows.map((r) => nonceKey(r.terminal_id, r.nonce)));
  });
  // Each inserted nonce is granted once, to its first use in the batch.
  return uses.map((u) => inserted.delete(nonceKey(u.terminalId, u.nonce)));
}

/** Terminal ids are UUIDs (no spaces), so the pair is unambiguous. */
const nonceKey = (terminalId: string, nonce: string) => `${terminalId} ${nonce}`;
