/**
 * From database rows to the engine's signals (RISK-1). The reads are in repo.ts; this
 * file only turns their timestamps into ages and their store positions into a distance,
 * so a decision's `signals` are the plain numbers the rules saw.
 */
import { kmBetween } from './geo.js';
import type { RiskPolicy } from './policy.js';
import { accountSignals, addressSignals, type AccountAsk, type AccountSignalsRow, type AddressSignalsRow } from './repo.js';
import { QUIET, type RiskAction, type RiskSignals } from './signals.js';
import type { Queryable } from '../db/pool.js';
import { installDigest } from '../shared/install-id.js';

const MINUTE = 60_000;
/** How far back a recovery or a successful top-up is looked for at all. */
const lookbackMinutes = (p: RiskPolicy) => Math.max(p.recentRecoveryMinutes, p.quickSpendMinutes, p.velocityWindowMinutes);

const minutesSince = (at: Date | null, now: Date) => (at ? Math.max(0, Math.floor((now.getTime() - at.getTime()) / MINUTE)) : null);
const ago = (_p: RiskPolicy, now: Date, minutes: number) => new Date(now.getTime() - minutes * MINUTE);

/** The account signals of many asks in one query (the payment batch's). */
export async function readAccounts(q: Queryable, p: RiskPolicy, asks: readonly AccountAsk[], now: Date): Promise<(AccountSignalsRow | undefined)[]> {
  return accountSignals(q, asks, ago(p, now, p.velocityWindowMinutes), ago(p, now, lookbackMinutes(p)));
}

/**
 * A payer's signals as the batch's later payments see them: the batch's statement read
 * everyone's history before any of its payments, so without this the same customer's
 * second payment in one batch would look like their first (velocity, the store of the
 * previous payment). `earlier` is what this payer's previous allowed payment in the
 * batch left behind (see `afterPayment`).
 */
export function withEarlierInBatch(read: AccountSignalsRow, earlier: AccountSignalsRow | undefined): AccountSignalsRow {
  if (!earlier) return read;
  return {
    ...read,
    payments: earlier.payments, payment_amount: earlier.payment_amount,
    prev_payment_at: earlier.prev_payment_at, prev_lat: earlier.prev_lat, prev_lon: earlier.prev_lon,
  };
}

/**
 * The signals after an allowed payment of `amount` at the row's store, now. Counted as
 * made even though the batch may still decline it for money reasons: erring towards
 * one payment too many stops a thief sooner and never lets one through.
 */
export function afterPayment(row: AccountSignalsRow, amount: number, now: Date): AccountSignalsRow {
  return {
    ...row,
    payments: row.payments + 1, payment_amount: String(Number(row.payment_amount) + amount),
    prev_payment_at: now, prev_lat: row.store_lat, prev_lon: row.store_lon,
  };
}

/**
 * What the client's address and install have been doing across accounts, in the sharing
 * window. The install is counted by its digest, as stored (src/shared/install-id.ts);
 * like the address, it is read outside the caller's transaction (engine.ts, `ownPool`).
 */
export async function readAddress(
  q: Queryable, p: RiskPolicy, input: { ip: string | null; installId: string | null; userId: string | null; fingerprint: string | null }, now: Date,
): Promise<AddressSignalsRow> {
  const { installId, ...rest } = input;
  return addressSignals(q, { ...rest, install: installId ? installDigest(installId) : null, since: ago(p, now, p.sharingWindowMinutes) });
}

export interface SignalsInput {
  action: RiskAction;
  amount: number;
  categories?: readonly string[];
  account?: AccountSignalsRow | undefined;
  address?: AddressSignalsRow | undefined;
  /** Not read from the database: the login throttle's counters hold it (AccountAsk.loginFailures). */
  loginFailures?: number;
  now: Date;
}

export function toSignals({ action, amount, categories = [], account: a, address: d, loginFailures = 0, now }: SignalsInput): RiskSignals {
  const travel = a && a.prev_payment_at && a.prev_lat !== null && a.prev_lon !== null && a.store_lat !== null && a.store_lon !== null
    ? { minutesAgo: minutesSince(a.prev_payment_at, now)!, km: Math.round(kmBetween({ lat: a.prev_lat, lon: a.prev_lon }, { lat: a.store_lat, lon: a.store_lon })) }
    : null;
  return {
    ...QUIET,
    action, amount, categories: [...categories], loginFailures,
    ...(a && {
      deviceAgeMinutes: minutesSince(a.device_created_at, now),
      signupDevice: a.device_first === true,
      minutesSinceRecovery: minutesSince(a.recovered_at, now),
      topups: { count: a.topups, amount: Number(a.topup_amount) },
      payments: { count: a.payments, amount: Number(a.payment_amount) },
      lastTopup: a.last_topup_at ? { minutesAgo: minutesSince(a.last_topup_at, now)!, amount: Number(a.last_topup_amount) } : null,
      previousPayment: travel,
    }),
    ...(d && {
      cardsTried: d.cards_tried, cardFailures: d.card_failures, accountsOnDevice: d.accounts,
      accountsOnCard: d.accounts_on_card, signupsFromDevice: d.signups,
      accountsOnInstall: d.accounts_on_install, signupsFromInstall: d.signups_from_install,
    }),
  };
}
