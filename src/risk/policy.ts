/**
 * The risk rules' thresholds (RISK-1), from configuration so a risk analyst can tighten a
 * rule during an incident without a release. Defaults are sized on 7pay's raid: six
 * ¥30,000 card top-ups in 40 minutes, then ¥95,000 of e-cigarette cartridges at once.
 */
export interface RiskPolicy {
  /** The window of the velocity signals, in minutes. */
  readonly velocityWindowMinutes: number;
  /** A device younger than this is "new" (minutes). */
  readonly newDeviceMinutes: number;
  /** A recovery or contact change younger than this counts as recent (minutes). */
  readonly recentRecoveryMinutes: number;
  /** Failed password attempts before a right one (since the last sign-in) at which a second factor is asked even on a known device. */
  readonly loginFailuresStepUp: number;
  /** Card top-ups in the window at which the next one is held for review. */
  readonly topupsHold: number;
  /** Payments in the window at which the next one is held. */
  readonly paymentsHold: number;
  /** A payment this soon after a top-up (minutes), spending at least `quickSpendShare` of it, is "top-up then spend". */
  readonly quickSpendMinutes: number;
  readonly quickSpendShare: number;
  /** Goods categories resold easily (7pay's thieves bought e-cigarettes and prepaid cards). */
  readonly highRiskCategories: readonly string[];
  /** A high-risk basket at or above this amount (yen) is held. */
  readonly highRiskAmount: number;
  /** Faster than this between two stores (km/h), over more than `travelMinKm`, is impossible travel. */
  readonly travelKmh: number;
  readonly travelMinKm: number;
  /** Card testing: distinct cards tried, or refused card attempts, from one device or address. */
  readonly cardsTriedDeny: number;
  readonly cardFailuresDeny: number;
  /** Accounts on one device or address before sign-in asks a second factor and sign-ups are refused. */
  readonly accountsOnDeviceStepUp: number;
  readonly signupsFromDeviceDeny: number;
  /**
   * Per browser or app install (its install id): accounts signed in on it at which sign-in
   * asks a second factor, and sign-ups from it at which the next is refused.
   */
  readonly accountsOnInstallStepUp: number;
  readonly signupsFromInstallDeny: number;
  /** Accounts that may have held one card. */
  readonly accountsOnCardDeny: number;
  /** The window of the device/address/install signals (accounts, sign-ups, cards tried), in minutes. */
  readonly sharingWindowMinutes: number;
  /** A step-up is satisfied by a second factor passed on this session (or code's device) this recently (minutes). */
  readonly stepUpFreshMinutes: number;
}

export const DEFAULT_RISK_POLICY: RiskPolicy = Object.freeze({
  velocityWindowMinutes: 60,
  newDeviceMinutes: 24 * 60,
  recentRecoveryMinutes: 24 * 60,
  loginFailuresStepUp: 3,
  topupsHold: 3,
  paymentsHold: 10,
  quickSpendMinutes: 60,
  quickSpendShare: 0.8,
  highRiskCategories: Object.freeze(['e_cigarettes', 'tobacco', 'gift_cards', 'prepaid_cards', 'electronics', 'alcohol']),
  highRiskAmount: 30_000,
  travelKmh: 300,
  travelMinKm: 50,
  cardsTriedDeny: 4,
  cardFailuresDeny: 3,
  accountsOnDeviceStepUp: 3,
  signupsFromDeviceDeny: 3,
  // The 3rd account on one install in the window signs in with a second factor; the 4th sign-up is refused.
  accountsOnInstallStepUp: 3,
  signupsFromInstallDeny: 3,
  accountsOnCardDeny: 2,
  sharingWindowMinutes: 24 * 60,
  stepUpFreshMinutes: 10,
});
