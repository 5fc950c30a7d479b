/**
 * Chargebacks (WAL-7): the card holder's bank took a top-up back after we credited it.
 * The money comes back out of the wallet as far as the wallet still holds it; whatever
 * was already spent is booked as our loss (the network is paid from `chargeback_loss`),
 * the account is frozen and the customer told — the wallet never goes negative, and the
 * shortfall is never silent. The card is blocked from further top-ups.
 *
 * Every event is handled once (receivers deduplicate by event id); the handling and its
 * record commit together.
 */
import { withTransaction } from '../db/tx.js';
import { transitionCard } from '../cards/repo.js';
import { findUser, freezeUser } from '../identity/repo/users.js';
import { newUuid, toPublicId } from '../shared/ids.js';
import { availableOf, balanceOf, ensureAccount, lockWallet } from '../wallet/ledger/accounts.js';
import { createTransfer } from '../wallet/ledger/ledger.js';
import { notifyMovement } from '../wallet/notices.js';
import type { TopupsDeps } from './deps.js';
import { topupIdOfReference } from './references.js';
import { findTopup, markChargedBack, recordNetworkEvent } from './repo.js';

export interface ChargebackEvent {
  id: string;
  paymentReference: string;
  amount: number;
}

export type ChargebackResult =
  | { kind: 'duplicate' }
  | { kind: 'not_ours' }
  /** Not credited yet: the reconciliation job sees the chargeback and voids the credit. */
  | { kind: 'not_credited' }
  | { kind: 'reversed'; recovered: number; shortfall: number };

export function handleChargeback(deps: TopupsDeps, e: ChargebackEvent): Promise<ChargebackResult> {
  return withTransaction(deps.pool, async (q): Promise<ChargebackResult> => {
    const now = deps.clock.now();
    if (!(await recordNetworkEvent(q, e.id, 'payment.charged_back', now))) return { kind: 'duplicate' };
    const topupId = topupIdOfReference(e.paymentReference);
    const topup = topupId ? await findTopup(q, topupId, { lock: true }) : undefined;
    if (!topup) return { kind: 'not_ours' };
    if (topup.status !== 'succeeded' || topup.charged_back_at) return { kind: 'not_credited' };

    const user = (await findUser(q, topup.user_id, { lock: true }))!;
    const wallet = await lockWallet(q, topup.user_id, now);
    const clearing = await ensureAccount(q, 'card_clearing', 'card_clearing', null, now);
    const amount = Math.min(e.amount, topup.amount);
    const recovered = Math.min(amount, Math.max(0, availableOf(wallet)));
    const shortfall = amount - recovered;
    const meta = { topup: toPublicId('top', topup.id), event: e.id };
    if (recovered > 0) {
      const r = await createTransfer(q, {
        phase: 'single', id: newUuid(), debitAccountId: wallet.id, creditAccountId: clearing.id, amount: recovered,
        kind: 'chargeback', reversesId: topup.resolved_transfer_id ?? undefined, metadata: { ...meta, description: 'Card top-up reversed by the card issuer' },
      }, now);
      if (r.kind !== 'created') throw new Error(`chargeback reversal refused: ${r.kind}`);
    }
    if (shortfall > 0) {
      const loss = await ensureAccount(q, 'chargeback_loss', 'chargeback_loss', null, now);
      const r = await createTransfer(q, {
        phase: 'single', id: newUuid(), debitAccountId: loss.id, creditAccountId: clearing.id, amount: shortfall,
        kind: 'chargeback_shortfall', metadata: { ...meta, user: toPublicId('usr', user.id) },
      }, now);
      if (r.kind !== 'created') throw new Error(`chargeback shortfall refused: ${r.kind}`);
      await freezeUser(q, user.id, 'chargeback_shortfall', now);
      await deps.events.record(q, user, 'account_frozen', { ip: null, deviceId: null, now }, {
        details: { reason: 'chargeback_shortfall', shortfall, topup: meta.topup },
        detail: user.locale === 'ja'
          ? `カード会社がチャージ（${topup.amount.toLocaleString('en-US')}円）を取り消しましたが、その一部はすでに使われていました（不足額 ${shortfall.toLocaleString('en-US')}円）。`
          : `Your card issuer reversed a top-up of ¥${topup.amount.toLocaleString('en-US')}, part of which was already spent (¥${shortfall.toLocaleString('en-US')} short).`,
      });
    }
    await transitionCard(q, topup.card_id, 'active', 'failed', now, 'charged_back');
    await markChargedBack(q, topup.id, now);
    if (recovered > 0) {
      const after = await lockWallet(q, topup.user_id, now);
      await notifyMovement(q, deps, user, { kind: 'chargeback', amount: -recovered, balance: balanceOf(after), description: 'Card top-up reversed by the card issuer', at: now });
    }
    deps.logger.warn({ topup: meta.topup, recovered, shortfall }, 'card top-up charged back');
    return { kind: 'reversed', recovered, shortfall };
  });
}
