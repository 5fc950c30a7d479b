/** What the customer sees of their factors: never a secret, only states and labels. */
import type { Queryable } from '../../db/pool.js';
import { findTotp, listPasskeys, recoveryCodeStats, type PasskeyRow } from './repo.js';

export interface FactorsOverview {
  totp: { status: 'none' | 'pending' | 'enabled'; confirmedAt: Date | null };
  recoveryCodes: { remaining: number; createdAt: Date | null };
  passkeys: PasskeyRow[];
}

export async function factorsOverview(q: Queryable, userId: string): Promise<FactorsOverview> {
  const [totp, recoveryCodes, passkeys] = [await findTotp(q, userId), await recoveryCodeStats(q, userId), await listPasskeys(q, userId)];
  return {
    totp: { status: !totp ? 'none' : totp.confirmed_at ? 'enabled' : 'pending', confirmedAt: totp?.confirmed_at ?? null },
    recoveryCodes,
    passkeys,
  };
}
