/**
 * The top-up state machine after the challenge:
 *
 *   requires_action ──challenge passed──▶ processing ──captured──▶ succeeded (credit posted)
 *         │                                   │
 *         ├─ challenge failed ─▶ failed        ├─ declined / voided / charged back ─▶ failed (credit voided)
 *         └─ window lapsed or canceled ─▶ canceled (credit voided)
 *
 * `advance` is called by the return page, by the app, and by the reconciliation job; it
 * never trusts the browser about the challenge and reads the card network's own record.
 * Money rules: the card network is only ever asked with the top-up's fixed references,
 * so repeating a step after a lost answer cannot charge twice; the wallet is credited
 * only after the network says the payment is captured.
 */
import { withTransaction } from '../db/tx.js';
import type { PspPayment } from '../cards/psp/port.js';
import { findCard } from '../cards/repo.js';
import { findUser } from '../identity/repo/users.js';
import { newUuid } from '../shared/ids.js';
import { createTransfer } from '../wallet/ledger/ledger.js';
import { balanceOf } from '../wallet/ledger/accounts.js';
import { findAccount, findResolution, findTransfer } from '../wallet/ledger/repo.js';
import { notifyMovement } from '../wallet/notices.js';
import type { TopupsDeps } from './deps.js';
import { captureReference, paymentReference } from './references.js';
import { returnUrlFor } from './create.js';
import { claimForCharge, findTopup, finishTopup, scheduleCheck, setTopupAuthenticationOnce, type TopupRow } from './repo.js';

/** When a lost answer is next looked into: soon at first, then less often (capped at an hour). */
export const checkDelayMs = (checks: number) => Math.min(3_600_000, 15_000 * 2 ** Math.min(checks, 10));

export type AdvanceResult =
  | { kind: 'ok'; topup: TopupRow }
  | { kind: 'not_found' };

export async function advance(deps: TopupsDeps, topupId: string): Promise<AdvanceResult> {
  const topup = await findTopup(deps.pool, topupId);
  if (!topup) return { kind: 'not_found' };
  if (topup.status === 'requires_action') return { kind: 'ok', topup: await afterChallenge(deps, topup) };
  if (topup.status === 'processing') return { kind: 'ok', topup: await reconcile(deps, topup) };
  return { kind: 'ok', topup };
}

async function afterChallenge(deps: TopupsDeps, topup: TopupRow): Promise<TopupRow> {
  const now = deps.clock.now();
  if (topup.action_expires_at <= now) return cancel(deps, topup.id, 'challenge_expired');
  // Held by the risk engine: nothing happens until an analyst decides. Released: the
  // challenge the hold kept us from asking for is asked for now.
  if (topup.held_at) return topup;
  if (!topup.authentication_id) return startChallenge(deps, topup);
  const auth = await deps.psp.getAuthentication(topup.authentication_id);
  if (auth.kind === 'timeout' || auth.kind === 'unavailable') return topup;
  if (auth.kind === 'refused' || auth.value.status === 'failed') return settle(deps, topup.id, 'failed', 'three_ds_failed');
  if (auth.value.status === 'challenge_required') return topup;

  const claimed = await withTransaction(deps.pool, (q) => claimForCharge(q, topup.id, now, new Date(now.getTime() + checkDelayMs(0))));
  if (!claimed) return (await findTopup(deps.pool, topup.id))!; // another caller is charging it
  const card = await findCard(deps.pool, claimed.card_id);
  const r = await deps.psp.authorise({ reference: paymentReference(claimed.id), token: card!.psp_token, authenticationId: claimed.authentication_id!, amount: claimed.amount });
  if (r.kind === 'refused') return settle(deps, claimed.id, 'failed', r.code);
  if (r.kind !== 'ok') return claimed; // lost answer: the reconciliation job asks the network
  return onPayment(deps, claimed, r.value);
}

async function startChallenge(deps: TopupsDeps, topup: TopupRow): Promise<TopupRow> {
  const card = await findCard(deps.pool, topup.card_id);
  if (!card || card.status !== 'active') return cancel(deps, topup.id, 'card_not_usable');
  const auth = await deps.psp.startAuthentication({ token: card.psp_token, amount: topup.amount, returnUrl: returnUrlFor(deps, topup.id) });
  if (auth.kind !== 'ok') return topup; // asked again on the next confirm
  const now = deps.clock.now();
  // Only the first caller's challenge is kept: a concurrent confirm's is left unused.
  await withTransaction(deps.pool, (q) => setTopupAuthenticationOnce(q, topup.id, auth.value.id, auth.value.challengeUrl, now));
  return (await findTopup(deps.pool, topup.id))!;
}

/**
 * A top-up in flight: ask the network what it did with our reference and carry on from
 * there. A payment it never received is authorised now (same reference, so if the first
 * request does arrive late the network answers it as this one).
 */
export async function reconcile(deps: TopupsDeps, topup: TopupRow): Promise<TopupRow> {
  const ref = paymentReference(topup.id);
  const read = await deps.psp.getPayment(ref);
  if (read.kind === 'ok') return onPayment(deps, topup, read.value);
  if (read.kind === 'refused' && read.status === 404) {
    const card = await findCard(deps.pool, topup.card_id);
    const r = await deps.psp.authorise({ reference: ref, token: card!.psp_token, authenticationId: topup.authentication_id!, amount: topup.amount });
    if (r.kind === 'ok') return onPayment(deps, topup, r.value);
    if (r.kind === 'refused') return settle(deps, topup.id, 'failed', r.code);
  }
  return later(deps, topup);
}

async function onPayment(deps: TopupsDeps, topup: TopupRow, p: PspPayment): Promise<TopupRow> {
  switch (p.status) {
    case 'declined': return settle(deps, topup.id, 'failed', p.declineCode ?? 'declined');
    case 'voided': return settle(deps, topup.id, 'failed', 'voided');
    // Taken back before we ever credited it: nothing to reverse, the credit is just voided.
    case 'charged_back': return settle(deps, topup.id, 'failed', 'charged_back');
    case 'captured': return settle(deps, topup.id, 'succeeded', null);
    case 'authorized': {
      const c = await deps.psp.capture(paymentReference(topup.id), { reference: captureReference(topup.id) });
      if (c.kind === 'ok' && c.value.status === 'captured') return settle(deps, topup.id, 'succeeded', null);
      return later(deps, topup);
    }
  }
}

async function later(deps: TopupsDeps, topup: TopupRow): Promise<TopupRow> {
  const now = deps.clock.now();
  await withTransaction(deps.pool, (q) => scheduleCheck(q, topup.id, new Date(now.getTime() + checkDelayMs(topup.checks)), now));
  return (await findTopup(deps.pool, topup.id))!;
}

export function cancel(deps: TopupsDeps, topupId: string, code: string): Promise<TopupRow> {
  return settle(deps, topupId, 'canceled', code);
}

/**
 * The one place a top-up ends: the pending credit is posted (succeeded) or voided
 * (failed, canceled), the top-up row says so, and a credit is notified — all in one
 * transaction on the locked top-up row, so only the first of several callers acts.
 */
function settle(deps: TopupsDeps, topupId: string, to: 'succeeded' | 'failed' | 'canceled', failureCode: string | null): Promise<TopupRow> {
  return withTransaction(deps.pool, async (q) => {
    const now = deps.clock.now();
    const topup = (await findTopup(q, topupId, { lock: true }))!;
    if (topup.status === 'succeeded' || topup.status === 'failed' || topup.status === 'canceled') return topup;
    if (to === 'canceled' && topup.status !== 'requires_action') return topup; // already being charged

    const resolvedId = newUuid();
    const outcome = await createTransfer(q, to === 'succeeded'
      ? { phase: 'post_pending', id: resolvedId, pendingId: topup.pending_transfer_id }
      : { phase: 'void_pending', id: resolvedId, pendingId: topup.pending_transfer_id, metadata: { reason: failureCode } }, now);
    let resolved = resolvedId;
    if (outcome.kind === 'pending_already_resolved' || outcome.kind === 'pending_expired') {
      // The hold lapsed (the sweeper voided it) while the network still had the payment.
      resolved = (await findResolution(q, topup.pending_transfer_id))?.id ?? resolvedId;
      if (to === 'succeeded') resolved = await creditLate(deps, q, topup, now);
    } else if (outcome.kind !== 'created') {
      throw new Error(`top-up ${to}: ledger refused (${outcome.kind})`);
    }
    await finishTopup(q, topup.id, to, resolved, failureCode, now);
    if (to === 'succeeded') {
      const hold = (await findTransfer(q, topup.pending_transfer_id))!;
      const wallet = (await findAccount(q, hold.credit_account_id))!;
      const description = typeof hold.metadata.description === 'string' ? hold.metadata.description : 'Card';
      const user = (await findUser(q, topup.user_id))!;
      await notifyMovement(q, deps, user, { kind: 'topup_card', amount: topup.amount, balance: balanceOf(wallet), description, at: now });
    }
    return (await findTopup(q, topup.id))!;
  });
}

/** A capture that outlived its hold is still owed to the customer: credit it afresh. */
async function creditLate(deps: TopupsDeps, q: Parameters<typeof createTransfer>[0], topup: TopupRow, now: Date): Promise<string> {
  const hold = (await findTransfer(q, topup.pending_transfer_id))!;
  const id = newUuid();
  const r = await createTransfer(q, {
    phase: 'single', id, debitAccountId: hold.debit_account_id, creditAccountId: hold.credit_account_id,
    amount: topup.amount, kind: 'topup_card', metadata: { ...hold.metadata, late: true },
  }, now);
  if (r.kind !== 'created') throw new Error(`late top-up credit refused: ${r.kind}`);
  deps.logger.warn({ topup: topup.id }, 'top-up captured after its hold lapsed; credited afresh');
  return id;
}
