/** Wallet use cases that read: balance, limits and what remains of them. */
import type { Queryable } from '../db/pool.js';
import { availableOf, balanceOf, walletCode } from './ledger/accounts.js';
import { findAccountByCode, type AccountRow } from './ledger/repo.js';
import { remaining, type Limits, type Usage } from './limits.js';
import { limitsFor } from './overrides-repo.js';
import { usageSince } from './repo.js';

const DAY = 86_400_000;

/** The wallet's usage within the limit windows; a wallet never used has none. */
export async function usageOf(q: Queryable, wallet: AccountRow | undefined, now: Date): Promise<Usage> {
  if (!wallet) return { balance: 0, incoming: 0, cardTopups24h: 0, cardTopups30d: 0, payments24h: 0 };
  const u = await usageSince(q, wallet.id, new Date(now.getTime() - DAY), new Date(now.getTime() - 30 * DAY));
  return {
    balance: balanceOf(wallet),
    incoming: balanceOf(wallet) + wallet.credits_pending,
    cardTopups24h: u.card_topups_24h,
    cardTopups30d: u.card_topups_30d,
    payments24h: u.payments_24h,
  };
}

/** The balance side of usage, from the (locked) wallet row alone: cash top-ups need no more. */
export function balanceUsageOf(wallet: AccountRow): Usage {
  return { balance: balanceOf(wallet), incoming: balanceOf(wallet) + wallet.credits_pending, cardTopups24h: 0, cardTopups30d: 0, payments24h: 0 };
}

export interface WalletView {
  balance: number;
  available: number;
  pendingIn: number;
  limits: Limits;
  remaining: ReturnType<typeof remaining>;
}

/** `base` is the configured limits; the view shows the customer's own (with an operator's override). */
export async function walletView(q: Queryable, userId: string, base: Limits, restricted: boolean, now: Date): Promise<WalletView> {
  const limits = await limitsFor(q, base, userId);
  const wallet = await findAccountByCode(q, walletCode(userId));
  const usage = await usageOf(q, wallet, now);
  return {
    balance: usage.balance,
    available: wallet ? availableOf(wallet) : 0,
    pendingIn: wallet?.credits_pending ?? 0,
    limits,
    remaining: remaining(limits, usage, restricted),
  };
}
