/** SQL for the nonces of signed POS requests. */
import type pg from 'pg';
import { withStatements } from '../db/tx.js';

/**
 * Records a nonce for a terminal; false when the terminal already used it. The same
 * statement prunes that terminal's nonces seen before `pruneBefore`, so the table stays
 * small without a timer: each request pays for one short index range scan over its own
 * terminal's oldest rows. A terminal that falls silent keeps its last window of nonces
 * until its next request — a bounded handful per terminal.
 *
 * One statement, retried: under SERIALIZABLE (and on distributed engines) two concurrent
 * uses of one nonce can end in 40001, and the retry then sees the winner.
 */
export async function recordNonce(pool: pg.Pool, terminalId: string, nonce: string, seenAt: Date, pruneBefore: Date): Promise<boolean> {
  return withStatements(pool, async (c) => {
    const res = await c.query(
      `WITH pruned AS (DELETE FROM pos_nonces WHERE terminal_id = $1 AND seen_at < $4)
       INSERT INTO pos_nonces (terminal_id, nonce, seen_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [terminalId, nonce, seenAt, pruneBefore],
    );
    return res.rowCount === 1;
  });
}
