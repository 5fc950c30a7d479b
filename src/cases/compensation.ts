/**
 * Paying an approved claim (OPS-3): one `compensation` transfer from Konpay's own
 * `compensation` account (debit-normal: an expense) to the customer's wallet, in the
 * decision's transaction. Exactly once per claim, three times over: the case row is
 * locked and decided once, `case_compensations` has the claim as its primary key, and
 * the transfer's id is derived from the claim's, so even a replayed call finds `exists`.
 * The transfer's metadata names the disputed movements (`disputed`, `txn_…` ids), and
 * `case_movements` links the claim to them in the database.
 *
 * The wallet's balance cap (WAL-5) is not applied: this is money Konpay owes back.
 */
import { v5 as uuidv5 } from 'uuid';
import type { Queryable } from '../db/pool.js';
import { ensureAccount, lockWallet } from '../wallet/ledger/accounts.js';
import { createTransfer } from '../wallet/ledger/ledger.js';
import { toPublicId } from '../shared/ids.js';
import { insertCompensation, listCaseMovements } from './repo.js';

const COMPENSATION_NAMESPACE = 'c4a1e0d2-7b3f-4c59-8e6a-2d9f1b0c3e47';

/** The compensation transfer's id for a claim: the claim id is its idempotency. */
export const compensationTransferId = (caseId: string): string => uuidv5(`compensation:${caseId}`, COMPENSATION_NAMESPACE);

export type PayOutcome = { kind: 'paid'; transferId: string } | { kind: 'already_paid'; transferId: string };

export async function payCompensation(q: Queryable, c: { caseId: string; userId: string; amount: number; by: string; now: Date }): Promise<PayOutcome> {
  const disputed = await listCaseMovements(q, c.caseId);
  const wallet = await lockWallet(q, c.userId, c.now);
  const source = await ensureAccount(q, 'compensation', 'compensation', null, c.now);
  const id = compensationTransferId(c.caseId);
  const out = await createTransfer(q, {
    phase: 'single', id, debitAccountId: source.id, creditAccountId: wallet.id, amount: c.amount, kind: 'compensation',
    metadata: { description: 'Compensation', caseId: toPublicId('cas', c.caseId), disputed: disputed.map((d) => toPublicId('txn', d.transfer_id)) },
  }, c.now);
  if (out.kind !== 'created' && out.kind !== 'exists') throw new Error(`compensation transfer refused: ${out.kind}`);
  const recorded = await insertCompensation(q, { caseId: c.caseId, transferId: id, amount: c.amount, paidBy: c.by, now: c.now });
  return recorded && out.kind === 'created' ? { kind: 'paid', transferId: id } : { kind: 'already_paid', transferId: id };
}
