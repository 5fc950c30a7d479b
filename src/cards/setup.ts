/**
 * Adding a card (WAL-3). The browser posts the card to the card network's form and comes
 * back with a token; everything we keep about the card we then read from the network
 * ourselves. Adding a card always passes the issuer's 3-D Secure challenge, then a ¥1
 * verification authorisation that checks the security code and is voided at once.
 *
 *   addCard ─▶ pending (challenge sent) ─▶ completeCardSetup ─▶ active | failed
 *
 * Wrong security codes are counted per card (by fingerprint, across accounts: a stolen
 * number tried on many accounts) and per account (many numbers tried on one), and adding
 * is refused for a while once either reaches its cap — before the network is asked again.
 */
import type { Queryable } from '../db/pool.js';
import { withTransaction } from '../db/tx.js';
import { findUser } from '../identity/repo/users.js';
import { newUuid, toPublicId } from '../shared/ids.js';
import type { EventContext } from '../identity/events.js';
import { NetworkUnavailable, type CardsDeps } from './deps.js';
import {
  countCvcFailures, countHeldCards, findActiveByFingerprint, findCard, insertCard, setCardAuthentication, transitionCard,
  type CardRow,
} from './repo.js';

/** The verification authorisation: ¥1, voided straight away, never captured. */
export const VERIFY_AMOUNT = 1;
const checkReference = (cardId: string) => `cardcheck_${cardId.replace(/-/g, '')}`;

export type AddCardResult =
  | { kind: 'created'; card: CardRow; challengeUrl: string | null }
  | { kind: 'token_invalid' }
  | { kind: 'frozen' }
  | { kind: 'limit_reached'; max: number }
  | { kind: 'already_added' }
  | { kind: 'in_use_elsewhere' }
  | { kind: 'attempts_exceeded'; retryAfterSeconds: number }
  | { kind: 'network_unavailable' }
  | { kind: 'step_up_required' }
  | { kind: 'risk_declined' };

/** Who is asking, for the risk engine: the session's device and address, and its last second factor. */
export interface CardClient {
  deviceId: string | null;
  ip: string | null;
  secondFactorAt: Date | null;
}

export const returnUrlFor = (deps: Pick<CardsDeps, 'publicUrl'>, cardId: string) =>
  `${deps.publicUrl}/v1/cards/${toPublicId('crd', cardId)}/3ds-return`;

export async function addCard(deps: CardsDeps, userId: string, token: string, client: CardClient): Promise<AddCardResult> {
  const read = await deps.psp.getCard(token);
  if (read.kind === 'refused') return { kind: 'token_invalid' };
  if (read.kind !== 'ok') return { kind: 'network_unavailable' };
  const psp = read.value;
  try {
    return await withTransaction(deps.pool, async (q): Promise<AddCardResult> => {
      const now = deps.clock.now();
      // The user row is the account's lock: card counts and caps are decided one at a time.
      const user = await findUser(q, userId, { lock: true });
      if (!user || user.frozen_at) return { kind: 'frozen' };
      const refusal = await refusalFor(deps, q, userId, psp.fingerprint, now);
      if (refusal) return refusal;

      const id = newUuid();
      // RISK-1: card testing, shared cards, a new phone or a fresh recovery, before the network is asked.
      const risk = await deps.risk.assessAccount(q, {
        action: 'card_add', userId, deviceId: client.deviceId, ip: client.ip, amount: 0, fingerprint: psp.fingerprint,
        secondFactorAt: client.secondFactorAt, subjectId: toPublicId('crd', id), now,
      });
      if (risk.outcome === 'step_up') return { kind: 'step_up_required' };
      if (risk.outcome !== 'allow') {
        // No card rule holds today; should a policy make one, an analyst sees it, the card is not added.
        if (risk.outcome === 'hold') await deps.risk.openHold(q, risk, userId, { type: 'card', id: toPublicId('crd', id) }, now);
        return { kind: 'risk_declined' };
      }
      const card: CardRow = {
        id, user_id: userId, psp_token: psp.token, fingerprint: psp.fingerprint, brand: psp.brand, last4: psp.last4,
        exp_month: psp.expMonth, exp_year: psp.expYear, status: 'pending', authentication_id: null, failure_code: null,
        created_at: now, updated_at: now,
      };
      await insertCard(q, card);
      const auth = await deps.psp.startAuthentication({ token: psp.token, amount: VERIFY_AMOUNT, returnUrl: returnUrlFor(deps, id) });
      if (auth.kind === 'refused') return { kind: 'token_invalid' };
      if (auth.kind !== 'ok') throw new NetworkUnavailable();
      await setCardAuthentication(q, id, auth.value.id, now);
      return { kind: 'created', card: { ...card, authentication_id: auth.value.id }, challengeUrl: auth.value.challengeUrl };
    });
  } catch (err) {
    if (err instanceof NetworkUnavailable) return { kind: 'network_unavailable' };
    throw err;
  }
}

async function refusalFor(deps: CardsDeps, q: Queryable, userId: string, fingerprint: string, now: Date): Promise<AddCardResult | undefined> {
  const { rules } = deps;
  const failures = await countCvcFailures(q, fingerprint, userId, new Date(now.getTime() - rules.cvcWindowMs));
  if (failures.card >= rules.cvcFailuresPerCard || failures.account >= rules.cvcFailuresPerAccount) {
    const until = (failures.oldest?.getTime() ?? now.getTime()) + rules.cvcWindowMs;
    return { kind: 'attempts_exceeded', retryAfterSeconds: Math.max(1, Math.ceil((until - now.getTime()) / 1000)) };
  }
  const holder = await findActiveByFingerprint(q, fingerprint);
  if (holder) return holder.user_id === userId ? { kind: 'already_added' } : { kind: 'in_use_elsewhere' };
  if (await countHeldCards(q, userId, new Date(now.getTime() - rules.challengeMs)) >= rules.perAccount) {
    return { kind: 'limit_reached', max: rules.perAccount };
  }
  return undefined;
}

export type CompleteResult =
  | { kind: 'settled'; card: CardRow }
  | { kind: 'challenge_pending'; card: CardRow }
  | { kind: 'not_found' }
  | { kind: 'network_unavailable' };

/**
 * Finishes a set-up once the holder is back from the challenge: asks the network how
 * the authentication went (the browser's word is not taken), verifies the card, and
 * activates or fails it. Safe to call again: a settled card is answered as it is, and
 * the verification is keyed by the card so a retry never authorises twice.
 */
export async function completeCardSetup(deps: CardsDeps, cardId: string, userId: string | undefined, ctx: EventContext): Promise<CompleteResult> {
  const card = await findCard(deps.pool, cardId);
  if (!card || (userId !== undefined && card.user_id !== userId)) return { kind: 'not_found' };
  if (card.status !== 'pending' || !card.authentication_id) return { kind: 'settled', card };

  const auth = await deps.psp.getAuthentication(card.authentication_id);
  if (auth.kind === 'timeout' || auth.kind === 'unavailable') return { kind: 'network_unavailable' };
  if (auth.kind === 'refused' || auth.value.status === 'failed') return settle(deps, card, 'failed', 'three_ds_failed', ctx);
  if (auth.value.status === 'challenge_required') return { kind: 'challenge_pending', card };

  const reference = checkReference(card.id);
  const payment = await deps.psp.authorise({ reference, token: card.psp_token, authenticationId: card.authentication_id, amount: VERIFY_AMOUNT });
  if (payment.kind === 'timeout' || payment.kind === 'unavailable') return { kind: 'network_unavailable' };
  if (payment.kind === 'refused') return settle(deps, card, 'failed', payment.code, ctx);
  if (payment.value.status === 'declined') return settle(deps, card, 'failed', payment.value.declineCode ?? 'declined', ctx);
  // The ¥1 hold is released now; if this answer is lost the issuer drops it within days.
  const released = await deps.psp.void(reference, { reference: `${reference}_void` });
  if (released.kind !== 'ok') deps.logger.warn({ card: toPublicId('crd', card.id) }, 'card verification hold not voided; it lapses at the issuer');
  return settle(deps, card, 'active', null, ctx);
}

async function settle(deps: CardsDeps, card: CardRow, to: 'active' | 'failed', failureCode: string | null, ctx: EventContext): Promise<CompleteResult> {
  const now = deps.clock.now();
  const apply = (status: 'active' | 'failed', code: string | null) => withTransaction(deps.pool, async (q) => {
    const user = await findUser(q, card.user_id, { lock: true });
    const holder = status === 'active' ? await findActiveByFingerprint(q, card.fingerprint) : undefined;
    if (holder && holder.id !== card.id) {
      await transitionCard(q, card.id, 'pending', 'failed', now, 'card_in_use_elsewhere');
    } else if ((await transitionCard(q, card.id, 'pending', status, now, code)) && status === 'active' && user) {
      await deps.events.record(q, user, 'card_added', ctx, { details: { card: toPublicId('crd', card.id), brand: card.brand, last4: card.last4 } });
    }
    return (await findCard(q, card.id))!;
  });
  try {
    return { kind: 'settled', card: await apply(to, failureCode) };
  } catch (err) {
    // Another account activated the same card between our check and our write.
    if ((err as { code?: string }).code === '23505') return { kind: 'settled', card: await apply('failed', 'card_in_use_elsewhere') };
    throw err;
  }
}
