/**
 * The payment batcher: payments that reach one server together share one transaction
 * (DESIGN.md, Ledger; `Batcher` gathers them without a timer). Each keeps its own
 * idempotency key, claimed inside that transaction, so a payment's effect, its answer
 * and its key commit together or not at all, and a client retrying while its first
 * attempt runs waits on the key's row, then gets the recorded answer.
 *
 * A batch that fails for any reason but a retryable conflict (which reruns it whole) is
 * split: each payment runs again alone, so one bad payment never fails its neighbours.
 */
import { withTransaction } from '../db/tx.js';
import type { Answer, BatchRequest, Idempotency, IdempotentResult } from '../idempotency/idempotency.js';
import type { TerminalIdentity } from '../pos/verify.js';
import { Batcher, type BatcherOptions } from '../shared/batcher.js';
import { authorisePayments, type AuthoriseInput, type AuthoriseResult } from './authorise.js';
import type { PaymentsDeps } from './deps.js';

export interface PaymentRequest {
  terminal: TerminalIdentity;
  /** The terminal's Idempotency-Key and the digest of the request it came with. */
  key: string;
  digest: Buffer;
  input: AuthoriseInput;
  /** The answer recorded under the key (and sent) for an outcome; pure. */
  answer: (out: AuthoriseResult) => Answer;
}

/** Whose keys these are: a key is unique per terminal. */
export const terminalScope = (terminal: Pick<TerminalIdentity, 'id'>) => `pos:${terminal.id}`;

export function paymentBatcher(deps: PaymentsDeps, idempotency: Idempotency, opts: BatcherOptions): Batcher<PaymentRequest, IdempotentResult> {
  return new Batcher<PaymentRequest, IdempotentResult>((requests) => withTransaction(deps.pool, async (q) => {
    const keyed: BatchRequest[] = requests.map((r) => ({ scope: terminalScope(r.terminal), key: r.key, digest: r.digest }));
    const claims = await idempotency.claimHere(q, keyed);
    const mine = requests.flatMap((r, i) => (claims[i]!.kind === 'claimed' ? [i] : []));
    const outcomes = mine.length ? await authorisePayments(deps, q, mine.map((i) => ({ terminal: requests[i]!.terminal, input: requests[i]!.input }))) : [];
    const answers = new Map(mine.map((i, j) => [i, requests[i]!.answer(outcomes[j]!)]));
    await idempotency.completeHere(q, mine.map((i) => ({ ...keyed[i]!, answer: answers.get(i)! })));
    return claims.map((c, i): IdempotentResult => (c.kind === 'claimed' ? { kind: 'fresh', ...answers.get(i)! } : c));
  }), opts);
}
