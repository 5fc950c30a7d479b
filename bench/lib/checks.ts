/**
 * After the load: every payment the load generator saw approved (201) must be in
 * `payments` with its ledger transfer, exactly once; and nothing else should have been
 * paid during the run. Counts:
 *
 * - approved: distinct `pay_…` ids answered 201;
 * - missing: approved ids with no payments row, or whose transfer is not in the ledger;
 * - duplicated: ids answered to two requests, payment ids carried by more than one
 *   payment transfer, and transfers claimed by more than one payment;
 * - unexpected: payments (or payment transfers) made since the first phase that no 201
 *   announced (a lost answer would show here, and as an error);
 * - ledger_balanced: all accounts' debits equal their credits, posted and pending.
 */
import type pg from 'pg';
import { fromPublicId } from '../../src/shared/ids.js';
import type { Checks } from './results.js';

const CHUNK = 50_000;

export async function checkPayments(pool: pg.Pool, approvedIds: readonly string[], since: Date): Promise<Checks> {
  const distinct = [...new Set(approvedIds)];
  const answeredTwice = approvedIds.length - distinct.length;
  const uuids = distinct.map((id) => fromPublicId('pay', id));
  const malformed = uuids.filter((u) => !u).length;
  const c = await pool.connect();
  c.on('error', () => {});
  try {
    await c.query('CREATE TEMP TABLE seen (id uuid PRIMARY KEY) ON COMMIT PRESERVE ROWS');
    const valid = uuids.filter((u): u is string => !!u);
    for (let k = 0; k < valid.length; k += CHUNK) {
      await c.query('INSERT INTO seen SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING', [valid.slice(k, k + CHUNK)]);
    }
    await c.query('ANALYZE seen');
    const one = async (sql: string, params: unknown[] = []) => Number((await c.query<{ n: string }>(sql, params)).rows[0]!.n);
    const missing = malformed + await one(
      `SELECT count(*) AS n FROM seen s
        WHERE NOT EXISTS (SELECT 1 FROM payments p JOIN ledger_transfers t ON t.id = p.transfer_id WHERE p.id = s.id)`,
    );
    const ledgerTwice = await one(
      `SELECT count(*) AS n FROM (
         SELECT metadata->>'payment' FROM ledger_transfers
          WHERE kind = 'payment' AND created_at >= $1 AND metadata ? 'payment'
          GROUP BY 1 HAVING count(*) > 1) d`,
      [since],
    );
    const transferTwice = await one(
      `SELECT count(*) AS n FROM (SELECT transfer_id FROM payments WHERE created_at >= $1 GROUP BY 1 HAVING count(*) > 1) d`,
      [since],
    );
    const unexpectedPayments = await one(
      `SELECT count(*) AS n FROM payments p WHERE p.created_at >= $1 AND NOT EXISTS (SELECT 1 FROM seen s WHERE s.id = p.id)`,
      [since],
    );
    const orphanTransfers = await one(
      `SELECT count(*) AS n FROM ledger_transfers t
        WHERE t.kind = 'payment' AND t.created_at >= $1 AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.transfer_id = t.id)`,
      [since],
    );
    const totals = (await c.query<{ dp: string; cp: string; dq: string; cq: string }>(
      `SELECT coalesce(sum(debits_posted), 0) AS dp, coalesce(sum(credits_posted), 0) AS cp,
              coalesce(sum(debits_pending), 0) AS dq, coalesce(sum(credits_pending), 0) AS cq FROM ledger_accounts`,
    )).rows[0]!;
    await c.query('DROP TABLE seen');
    return {
      approved: distinct.length,
      missing,
      duplicated: answeredTwice + ledgerTwice + transferTwice,
      unexpected: unexpectedPayments + orphanTransfers,
      ledger_balanced: totals.dp === totals.cp && totals.dq === totals.cq,
    };
  } finally {
    c.release();
  }
}
