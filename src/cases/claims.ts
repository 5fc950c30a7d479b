/**
 * A customer's claim of unauthorised use (OPS-3): the movements they did not make, from
 * their own history, and what happened in their words. It becomes a `claim` case for an
 * analyst, in one transaction with the links to the movements. Only money that left this
 * customer's wallet can be claimed, and each movement once, so no claim pays for another
 * customer's movement or twice for one.
 */
import { withTransaction } from '../db/tx.js';
import { fromPublicId, toPublicId } from '../shared/ids.js';
import { walletCode } from '../wallet/ledger/accounts.js';
import { findAccountByCode } from '../wallet/ledger/repo.js';
import type { CasesDeps } from './deps.js';
import { openCase } from './open.js';
import { findClaimableMovements, insertCaseMovements } from './repo.js';

/**
 * Movements a customer may say they did not make: payments out of their wallet. A top-up
 * someone else made is still in the wallet, or left it by a payment, which is what is
 * claimed; a card charged without consent is the card issuer's chargeback to settle.
 */
export const CLAIMABLE_KINDS: ReadonlySet<string> = new Set(['payment']);

export type ClaimOutcome =
  | { kind: 'opened'; caseId: string; amount: number }
  | { kind: 'invalid_movements'; movementIds: string[] }
  | { kind: 'already_claimed'; movementIds: string[] };

export function fileClaim(deps: CasesDeps, input: { userId: string; movementIds: readonly string[]; description: string }): Promise<ClaimOutcome> {
  return withTransaction(deps.pool, async (q): Promise<ClaimOutcome> => {
    const now = deps.clock.now();
    const ids = [...new Set(input.movementIds)];
    const uuids = ids.map((id) => fromPublicId('txn', id));
    const malformed = ids.filter((_, i) => !uuids[i]);
    if (malformed.length) return { kind: 'invalid_movements', movementIds: malformed };
    const wallet = await findAccountByCode(q, walletCode(input.userId));
    if (!wallet) return { kind: 'invalid_movements', movementIds: ids };
    const found = new Map((await findClaimableMovements(q, wallet.id, uuids as string[])).map((m) => [m.id, m]));
    // Someone else's movement and a movement that does not exist answer alike: a claim
    // must not reveal which transfer ids exist.
    const invalid = ids.filter((id, i) => {
      const m = found.get(uuids[i]!);
      return !m || !m.theirs || !CLAIMABLE_KINDS.has(m.kind);
    });
    if (invalid.length) return { kind: 'invalid_movements', movementIds: invalid };
    const claimed = ids.filter((_, i) => found.get(uuids[i]!)!.claimed);
    if (claimed.length) return { kind: 'already_claimed', movementIds: claimed };
    const movements = [...found.values()];
    const amount = movements.reduce((s, m) => s + m.amount, 0);
    const { caseId } = await openCase(q, {
      kind: 'claim', userId: input.userId, subject: null, reasons: ['customer_claim'],
      evidence: { description: input.description, movements: movements.map((m) => ({ id: toPublicId('txn', m.id), kind: m.kind, amount: m.amount })), amount },
      now,
    });
    // A concurrent claim on the same movement loses at the unique index: roll back all of it.
    if (!(await insertCaseMovements(q, caseId, movements))) throw new ClaimRace();
    return { kind: 'opened', caseId, amount };
  }).catch((err: unknown) => {
    if (err instanceof ClaimRace) return { kind: 'already_claimed', movementIds: [...input.movementIds] };
    throw err;
  });
}

/** Thrown to roll the claim back when another claim took a movement between check and insert. */
class ClaimRace extends Error {}
