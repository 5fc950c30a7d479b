/**
 * What the risk engine knows about one attempt (RISK-1): counts and ages read from the
 * database just before the decision, so the rules themselves stay pure functions that a
 * test, a replay of an incident or an analyst's "why" can run again on the same numbers.
 */

/** The four moments Konpay asks for a decision (SPEC RISK-1), plus sign-up for farming. */
export type RiskAction = 'login' | 'signup' | 'card_add' | 'topup' | 'payment';

/** Counts over the policy's velocity window (default: the last 60 minutes). */
export interface Velocity {
  readonly count: number;
  /** Yen, for top-ups and payments; 0 for logins and card attempts. */
  readonly amount: number;
}

export interface RiskSignals {
  readonly action: RiskAction;
  /** Yen asked for (top-up, payment); 0 otherwise. */
  readonly amount: number;
  /** Minutes since this device first signed in to this account; null for a device never seen. */
  readonly deviceAgeMinutes: number | null;
  /**
   * The device is the one the account was made on (no earlier device): a takeover needs
   * someone else's phone, so the new-device rule does not ask a brand-new customer again.
   */
  readonly signupDevice: boolean;
  /** Minutes since the last password recovery or change of e-mail/phone; null if none in the look-back. */
  readonly minutesSinceRecovery: number | null;
  /**
   * Failed password attempts on the account before this sign-in, since its last successful
   * one (the login throttle's counter, forgotten after LOGIN_FORGET_ACCOUNT_FAILURES_HOURS
   * without a failure); on a remembered device, that device's own from this address.
   */
  readonly loginFailures: number;
  /** Card top-ups asked for in the velocity window (this one not included). */
  readonly topups: Velocity;
  /** Payments approved in the velocity window (this one not included). */
  readonly payments: Velocity;
  /** The latest successful top-up, when there was one in the look-back. */
  readonly lastTopup: { readonly minutesAgo: number; readonly amount: number } | null;
  /** Goods categories the till sent with a payment (e.g. `e_cigarettes`). */
  readonly categories: readonly string[];
  /** The previous payment's store, as distance from this store and time since, when both stores have a location. */
  readonly previousPayment: { readonly minutesAgo: number; readonly km: number } | null;
  /** Distinct cards tried from this device or address in the card-testing window. */
  readonly cardsTried: number;
  /** Card attempts refused (wrong security code, declined, failed 3-D Secure) from this device or address in that window. */
  readonly cardFailures: number;
  /** Distinct accounts seen on this device or address in the sharing window. */
  readonly accountsOnDevice: number;
  /** Distinct accounts that have held this card (for card additions and top-ups). */
  readonly accountsOnCard: number;
  /** Sign-ups from this device or address in the sharing window. */
  readonly signupsFromDevice: number;
  /**
   * Distinct accounts signed in on the client's install (browser cookie or app header) in
   * the sharing window, this one counted too; 0 when the client sent no install id. Unlike
   * an address, an install is one browser or phone, not a carrier's shared NAT.
   */
  readonly accountsOnInstall: number;
  /** Accounts made on the client's install in the sharing window; 0 without an install id. */
  readonly signupsFromInstall: number;
}

/** Signals with nothing unusual: the base for callers and tests that set only what they read. */
export const QUIET: Omit<RiskSignals, 'action'> = Object.freeze({
  amount: 0, deviceAgeMinutes: 30 * 24 * 60, signupDevice: false, minutesSinceRecovery: null, loginFailures: 0,
  topups: { count: 0, amount: 0 }, payments: { count: 0, amount: 0 }, lastTopup: null, categories: [],
  previousPayment: null, cardsTried: 0, cardFailures: 0, accountsOnDevice: 1, accountsOnCard: 1, signupsFromDevice: 0,
  accountsOnInstall: 0, signupsFromInstall: 0,
});
