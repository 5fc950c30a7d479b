/**
 * Property tests (fast-check) against real PostgreSQL: random interleavings of top-ups,
 * payments, holds, posts, voids and retried requests, run by concurrent clients. Whatever
 * happens: money is conserved, no wallet goes below zero, every account's totals are
 * exactly what its transfers say, and a retried request changes nothing.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../../test/harness/db.js';
import { withTransaction } from '../../db/tx.js';
import { newUuid } from '../../shared/ids.js';
import { ensureAccount } from './accounts.js';
import { createTransfer, type TransferSpec } from './ledger.js';
import { ledgerTotals, type AccountRow } from './repo.js';

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(() => db.drop());

type Op =
  | { t: 'topup'; w: number; amount: number }
  | { t: 'pay'; w: number; amount: number }
  | { t: 'hold'; w: number; amount: number }
  | { t: 'post'; hold: number; part: number }
  | { t: 'void'; hold: number }
  | { t: 'retry'; of: number };

const amount = fc.integer({ min: 1, max: 30_000 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant('topup' as const), w: fc.nat(2), amount }),
  fc.record({ t: fc.constant('pay' as const), w: fc.nat(2), amount }),
  fc.record({ t: fc.constant('hold' as const), w: fc.nat(2), amount }),
  fc.record({ t: fc.constant('post' as const), hold: fc.nat(20), part: fc.double({ min: 0.1, max: 1, noNaN: true }) }),
  fc.record({ t: fc.constant('void' as const), hold: fc.nat(20) }),
  fc.record({ t: fc.constant('retry' as const), of: fc.nat(40) }),
);

async function runScenario(ops: Op[], clients: number): Promise<void> {
  const now = new Date('2026-11-25T03:00:00Z');
  const tag = newUuid();
  // Ids are time-ordered and accounts are locked in id order: the payable account is made
  // first so a refused payment has already credited it and must take that back.
  const { wallets, clearing, payable } = await withTransaction(db.pool, async (q) => {
    const payable = await ensureAccount(q, `merchant_payable:${tag}`, 'merchant_payable', null, now);
    const wallets = [];
    for (const i of [0, 1, 2]) wallets.push(await ensureAccount(q, `wallet:${tag}:${i}`, 'wallet', null, now));
    return { wallets, payable, clearing: await ensureAccount(q, `card_clearing:${tag}`, 'card_clearing', null, now) };
  });
  // Specs are fixed up front (ids included), so a retry repeats exactly what was sent.
  const holds: { id: string; amount: number }[] = [];
  const specs: TransferSpec[] = [];
  for (const o of ops) {
    const w = (i: number) => (wallets[i] as AccountRow).id;
    switch (o.t) {
      case 'topup': specs.push({ phase: 'single', id: newUuid(), debitAccountId: clearing.id, creditAccountId: w(o.w), amount: o.amount, kind: 'topup_card' }); break;
      case 'pay': specs.push({ phase: 'single', id: newUuid(), debitAccountId: w(o.w), creditAccountId: payable.id, amount: o.amount, kind: 'payment' }); break;
      case 'hold': {
        const id = newUuid();
        holds.push({ id, amount: o.amount });
        specs.push({ phase: 'pending', id, debitAccountId: w(o.w), creditAccountId: payable.id, amount: o.amount, kind: 'payment', expiresAt: new Date(now.getTime() + 60_000) });
        break;
      }
      case 'post': {
        const h = holds[o.hold % Math.max(1, holds.length)];
        if (h) specs.push({ phase: 'post_pending', id: newUuid(), pendingId: h.id, amount: Math.max(1, Math.floor(h.amount * o.part)) });
        break;
      }
      case 'void': {
        const h = holds[o.hold % Math.max(1, holds.length)];
        if (h) specs.push({ phase: 'void_pending', id: newUuid(), pendingId: h.id });
        break;
      }
      case 'retry': {
        const prior = specs[o.of % Math.max(1, specs.length)];
        if (prior) specs.push(prior);
        break;
      }
    }
  }
  const created = new Set<string>();
  const lanes = Array.from({ length: clients }, (_, c) => specs.filter((_, i) => i % clients === c));
  await Promise.all(lanes.map(async (lane) => {
    for (const spec of lane) {
      const out = await withTransaction(db.pool, (q) => createTransfer(q, spec, now));
      if (out.kind === 'created') {
        expect(created.has(spec.id)).toBe(false); // a retry never creates twice
        created.add(spec.id);
      }
    }
  }));

  const ids = [...wallets, clearing, payable].map((a) => a.id);
  const { rows: accounts } = await db.pool.query<AccountRow>('SELECT * FROM ledger_accounts WHERE id = ANY($1)', [ids]);
  for (const a of accounts) {
    if (a.kind === 'wallet') expect(a.debits_posted + a.debits_pending).toBeLessThanOrEqual(a.credits_posted);
    // Totals recomputed from the transfers themselves.
    const { rows: [r] } = await db.pool.query<{ dp: number; cp: number; dq: number; cq: number }>(
      `SELECT
         coalesce(sum(amount) FILTER (WHERE debit_account_id = $1 AND phase IN ('single', 'post_pending')), 0)::int8 AS dp,
         coalesce(sum(amount) FILTER (WHERE credit_account_id = $1 AND phase IN ('single', 'post_pending')), 0)::int8 AS cp,
         coalesce(sum(amount) FILTER (WHERE debit_account_id = $1 AND phase = 'pending'
           AND NOT EXISTS (SELECT 1 FROM ledger_transfers r WHERE r.pending_id = ledger_transfers.id)), 0)::int8 AS dq,
         coalesce(sum(amount) FILTER (WHERE credit_account_id = $1 AND phase = 'pending'
           AND NOT EXISTS (SELECT 1 FROM ledger_transfers r WHERE r.pending_id = ledger_transfers.id)), 0)::int8 AS cq
       FROM ledger_transfers WHERE debit_account_id = $1 OR credit_account_id = $1`,
      [a.id],
    );
    expect([a.debits_posted, a.credits_posted, a.debits_pending, a.credits_pending]).toEqual([r!.dp, r!.cp, r!.dq, r!.cq]);
  }
  const { rows: [count] } = await db.pool.query<{ n: number }>(
    'SELECT count(*)::int8 AS n FROM ledger_transfers WHERE debit_account_id = ANY($1) OR credit_account_id = ANY($1)', [ids],
  );
  expect(count!.n).toBe(created.size);
  const totals = await ledgerTotals(db.pool);
  expect(totals.debitsPosted).toBe(totals.creditsPosted);
  expect(totals.debitsPending).toBe(totals.creditsPending);
}

describe('ledger properties under concurrency', () => {
  it('conserves money, never overdraws, matches its transfers, and ignores retries', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 40 }), fc.integer({ min: 1, max: 4 }), runScenario),
      { numRuns: 25, seed: 20261125 },
    );
  });
});
