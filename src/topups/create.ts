/**
 * Starting a card top-up (WAL-3, WAL-5). In one transaction, under the account's locks:
 * the account may top up (not frozen, not in restricted mode), the card is its own and
 * verified, the limits hold counting every top-up still in flight, and a pending credit
 * reserves the amount — then the issuer's 3-D Secure challenge is requested for this
 * amount. Every card top-up is challenged; nothing is charged until it passes.
 */
import type { Queryable } from '../db/pool.js';
import { findCard } from '../cards/repo.js';
import { cardDescription } from '../cards/views.js';
import { findUser } from '../identity/repo/users.js';
import { newUuid, toPublicId } from '../shared/ids.js';
import { createTransfer } from '../wallet/ledger/ledger.js';
import { ensureAccount, lockWallet } from '../wallet/ledger/accounts.js';
import { checkCardTopup, type LimitReason } from '../wallet/limits.js';
import { limitsFor } from '../wallet/overrides-repo.js';
import { usageOf } from '../wallet/service.js';
import type { TopupsDeps } from './deps.js';
import { findTopup, insertTopup, setTopupAuthentication, type TopupRow } from './repo.js';

/**
 * How long the pending credit may wait before the ledger's sweeper voids it. Far longer
 * than any challenge: the top-up's own state machine settles it first, and the sweeper
 * only cleans up after a top-up that somehow never settled.
 */
export const HOLD_MS = 7 * 86_400_000;

export type CreateTopupResult =
  | { kind: 'created'; topup: TopupRow }
  | { kind: 'frozen' }
  | { kind: 'restricted'; until: Date }
  | { kind: 'card_not_usable' }
  | { kind: 'limit'; reason: LimitReason; limit: number; remaining: number }
  | { kind: 'network_unavailable' }
  /** The risk engine held it: nothing sent to the card network until an analyst's case is decided. */
  | { kind: 'held'; topup: TopupRow }
  | { kind: 'step_up_required' }
  | { kind: 'risk_declined' };

/** Who is asking, for the risk engine: the session's device and address, and its last second factor. */
export interface TopupClient {
  deviceId: string | null;
  ip: string | null;
  secondFactorAt: Date | null;
}

/** A held top-up waits this long for its case before it is canceled like a lapsed challenge. */
export const HELD_MS = 3 * 86_400_000;

export const returnUrlFor = (deps: Pick<TopupsDeps, 'publicUrl'>, topupId: string) =>
  `${deps.publicUrl}/v1/topups/${toPublicId('top', topupId)}/3ds-return`;

/**
 * Runs inside the caller's transaction (the idempotent request's). When the network
 * cannot be asked for the challenge the caller must roll back: `network_unavailable`
 * is answered only after everything this call wrote is undone by that rollback.
 */
export async function createTopup(
  deps: TopupsDeps, q: Queryable, userId: string, input: { cardId: string; amount: number }, client: TopupClient,
): Promise<CreateTopupResult> {
  const now = deps.clock.now();
  const user = await findUser(q, userId, { lock: true });
  if (!user || user.frozen_at) return { kind: 'frozen' };
  if (user.restricted_until && user.restricted_until > now) return { kind: 'restricted', until: user.restricted_until };
  const card = await findCard(q, input.cardId);
  if (!card || card.user_id !== userId || card.status !== 'active') return { kind: 'card_not_usable' };

  const wallet = await lockWallet(q, userId, now);
  // This customer's limits (an operator may have changed them), read under the locks.
  const limits = await limitsFor(q, deps.limits, userId);
  const decision = checkCardTopup(limits, await usageOf(q, wallet, now), input.amount, false);
  if (!decision.ok) return { kind: 'limit', reason: decision.reason, limit: decision.limit, remaining: decision.remaining };

  // RISK-1, after the fixed limits (a top-up they refuse needs no opinion). The decision
  // is logged in this transaction: a refused top-up's log row stays, the key's answer too.
  const id = newUuid();
  const risk = await deps.risk.assessAccount(q, {
    action: 'topup', userId, deviceId: client.deviceId, ip: client.ip, amount: input.amount, fingerprint: card.fingerprint,
    secondFactorAt: client.secondFactorAt, subjectId: toPublicId('top', id), now,
  });
  if (risk.outcome === 'deny') return { kind: 'risk_declined' };
  if (risk.outcome === 'step_up') return { kind: 'step_up_required' };
  const held = risk.outcome === 'hold';

  const clearing = await ensureAccount(q, 'card_clearing', 'card_clearing', null, now);
  const pendingId = newUuid();
  const hold = await createTransfer(q, {
    phase: 'pending', id: pendingId, debitAccountId: clearing.id, creditAccountId: wallet.id, amount: input.amount,
    kind: 'topup_card', expiresAt: new Date(now.getTime() + HOLD_MS),
    metadata: { topup: toPublicId('top', id), description: cardDescription(card) },
  }, now);
  if (hold.kind !== 'created') throw new Error(`top-up hold refused: ${hold.kind}`);
  await insertTopup(q, {
    id, user_id: userId, card_id: card.id, amount: input.amount, pending_transfer_id: pendingId, created_at: now,
    action_expires_at: new Date(now.getTime() + (held ? HELD_MS : deps.challengeMs)), held_at: held ? now : null,
  });
  if (held) {
    // The amount stays reserved (counted by the limits) and the card is not asked: an
    // analyst releases it (the next confirm starts the challenge) or refuses it.
    await deps.risk.openHold(q, risk, userId, { type: 'topup', id: toPublicId('top', id) }, now);
    return { kind: 'held', topup: (await findTopup(q, id))! };
  }

  const auth = await deps.psp.startAuthentication({ token: card.psp_token, amount: input.amount, returnUrl: returnUrlFor(deps, id) });
  if (auth.kind !== 'ok') return { kind: 'network_unavailable' };
  await setTopupAuthentication(q, id, auth.value.id, auth.value.challengeUrl, now);
  return { kind: 'created', topup: (await findTopup(q, id))! };
}
