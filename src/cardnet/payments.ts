/**
 * Authorisations. Each is keyed by the caller's reference: a retry with the same body
 * answers the first result, so a caller that lost an answer (the timeout card) can ask
 * again or read it back, and never authorises twice.
 */
import { withTransaction } from '../db/tx.js';
import { sha256 } from '../shared/crypto.js';
import type { CardnetDeps } from './deps.js';
import { fromCardnetId, newCardnetUuid, toCardnetId } from './ids.js';
import { findAuthentication } from './repo/authentications.js';
import { findPaymentByReference, insertPayment, isAuthenticationUsed, type PaymentRow, type PaymentStatus } from './repo/payments.js';
import { findToken } from './repo/tokens.js';
import type { Profile } from './test-cards.js';

export const DAY_MS = 86_400_000;

export interface PaymentView {
  id: string;
  reference: string;
  token: string;
  authenticationId: string;
  amount: number;
  captured: number;
  refunded: number;
  status: PaymentStatus;
  declineCode: string | null;
}

export const paymentView = (p: PaymentRow): PaymentView => ({
  id: toCardnetId('pi', p.id), reference: p.reference, token: toCardnetId('tok', p.tokenId),
  authenticationId: toCardnetId('3ds', p.authenticationId), amount: p.amount, captured: p.captured,
  refunded: p.refunded, status: p.status, declineCode: p.declineCode,
});

export const requestDigest = (kind: string, body: object): Buffer => sha256(`${kind}\n${JSON.stringify(body)}`);

const DECLINES: Partial<Record<Profile, string>> = {
  insufficient_funds: 'insufficient_funds',
  stolen_card: 'stolen_card',
  incorrect_cvc: 'incorrect_cvc',
};

export interface AuthoriseInput {
  reference: string;
  token: string;
  authenticationId: string;
  amount: number;
}

export type AuthoriseResult =
  | { kind: 'ok'; payment: PaymentView; replayed: boolean; profile: Profile }
  | { kind: 'token_not_found' }
  | { kind: 'authentication_required'; why: string }
  | { kind: 'reference_reused' };

export async function authorise(deps: CardnetDeps, input: AuthoriseInput): Promise<AuthoriseResult> {
  const digest = requestDigest('authorise', [input.reference, input.token, input.authenticationId, input.amount]);
  const tokenId = fromCardnetId('tok', input.token);
  const authId = fromCardnetId('3ds', input.authenticationId);
  return withTransaction(deps.pool, async (tx): Promise<AuthoriseResult> => {
    const prior = await findPaymentByReference(tx, input.reference);
    if (prior) return replay(tx, prior, digest);
    const card = tokenId ? await findToken(tx, tokenId) : undefined;
    if (!card || !tokenId) return { kind: 'token_not_found' };
    // 3-D Secure binds the cardholder's consent to this card and this amount, once.
    const auth = authId ? await findAuthentication(tx, authId, true) : undefined;
    if (!auth || !authId) return { kind: 'authentication_required', why: 'unknown authentication' };
    if (auth.tokenId !== tokenId) return { kind: 'authentication_required', why: 'the authentication was for another card' };
    if (auth.amount !== input.amount) return { kind: 'authentication_required', why: 'the authentication was for another amount' };
    if (auth.status !== 'authenticated') return { kind: 'authentication_required', why: `the authentication is ${auth.status}` };
    if (await isAuthenticationUsed(tx, authId)) return { kind: 'authentication_required', why: 'the authentication was already used' };

    const now = deps.clock.now();
    // A ¥1 card verification checks the card, not the funds behind it: the
    // insufficient-funds card passes it and declines any real amount.
    const decline = card.profile === 'insufficient_funds' && input.amount <= 1 ? undefined : DECLINES[card.profile];
    const row: PaymentRow = {
      id: newCardnetUuid(), reference: input.reference, requestDigest: digest, tokenId, authenticationId: authId,
      amount: input.amount, captured: 0, refunded: 0, status: decline ? 'declined' : 'authorized',
      declineCode: decline ?? null, chargebackDueAt: null, createdAt: now, updatedAt: now,
    };
    if (!(await insertPayment(tx, row))) {
      // A concurrent request with the same reference won; answer as a retry would.
      const winner = await findPaymentByReference(tx, input.reference);
      return winner ? replay(tx, winner, digest) : { kind: 'reference_reused' };
    }
    return { kind: 'ok', payment: paymentView(row), replayed: false, profile: card.profile };
  });
}

async function replay(tx: Parameters<typeof findToken>[0], prior: PaymentRow, digest: Buffer): Promise<AuthoriseResult> {
  if (!prior.requestDigest.equals(digest)) return { kind: 'reference_reused' };
  const card = await findToken(tx, prior.tokenId);
  return { kind: 'ok', payment: paymentView(prior), replayed: true, profile: card?.profile ?? 'challenge' };
}

export async function getPayment(deps: CardnetDeps, reference: string): Promise<PaymentView | undefined> {
  const p = await findPaymentByReference(deps.pool, reference);
  return p && paymentView(p);
}
