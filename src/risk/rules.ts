/**
 * The risk rules (RISK-1): each a pure function of the signals and the policy, naming the
 * decision it asks for. A rule that does not fire answers undefined. Adding a rule is
 * adding a row here and a test beside it; the reason codes are a closed list, because
 * analysts filter cases by them and the customer is told what each means.
 */
import type { RiskPolicy } from './policy.js';
import type { RiskAction, RiskSignals } from './signals.js';

/** Weakest to strongest; the engine keeps the strongest any rule asked for. */
export const OUTCOMES = ['allow', 'step_up', 'hold', 'deny'] as const;
export type RiskOutcome = (typeof OUTCOMES)[number];

export const REASONS = [
  'login_failures', 'shared_device', 'signup_farming', 'new_device', 'recent_recovery', 'topup_velocity',
  'payment_velocity', 'topup_then_spend', 'high_risk_goods', 'impossible_travel', 'card_testing', 'shared_card',
  'shared_install', 'install_farming',
] as const;
export type RiskReason = (typeof REASONS)[number];

export interface Rule {
  readonly reason: RiskReason;
  readonly actions: readonly RiskAction[];
  check(s: RiskSignals, p: RiskPolicy): Exclude<RiskOutcome, 'allow'> | undefined;
}

const isNewDevice = (s: RiskSignals, p: RiskPolicy) => !s.signupDevice && (s.deviceAgeMinutes === null || s.deviceAgeMinutes < p.newDeviceMinutes);
const isHighRisk = (s: RiskSignals, p: RiskPolicy) => s.categories.some((c) => p.highRiskCategories.includes(c));
const quickSpend = (s: RiskSignals, p: RiskPolicy) =>
  s.lastTopup !== null && s.lastTopup.minutesAgo <= p.quickSpendMinutes && s.amount >= s.lastTopup.amount * p.quickSpendShare;

export const RULES: readonly Rule[] = [
  // Credential stuffing that got the password right after a few tries: make it prove the phone.
  { reason: 'login_failures', actions: ['login'], check: (s, p) => (s.loginFailures >= p.loginFailuresStepUp ? 'step_up' : undefined) },
  { reason: 'shared_device', actions: ['login'], check: (s, p) => (s.accountsOnDevice >= p.accountsOnDeviceStepUp ? 'step_up' : undefined) },
  // Throw-away accounts made from one phone to farm sign-up offers (7pay's coupons).
  { reason: 'signup_farming', actions: ['signup'], check: (s, p) => (s.signupsFromDevice >= p.signupsFromDeviceDeny ? 'deny' : undefined) },
  // The same per browser or app install, whatever address each attempt comes from. An
  // install is one client, not a carrier's NAT, so a family sharing a tablet is the
  // innocent case the thresholds leave room for; clearing cookies escapes it (the address
  // rules and one account per phone number remain).
  { reason: 'shared_install', actions: ['login'], check: (s, p) => (s.accountsOnInstall >= p.accountsOnInstallStepUp ? 'step_up' : undefined) },
  { reason: 'install_farming', actions: ['signup'], check: (s, p) => (s.signupsFromInstall >= p.signupsFromInstallDeny ? 'deny' : undefined) },
  // Card money from a phone the account has not used before: prove it is the owner's.
  { reason: 'new_device', actions: ['card_add', 'topup'], check: (s, p) => (isNewDevice(s, p) ? 'step_up' : undefined) },
  // A takeover often starts with a reset or a new e-mail; money moving soon after is suspect.
  {
    reason: 'recent_recovery', actions: ['card_add', 'topup', 'payment'],
    check: (s, p) => {
      if (s.minutesSinceRecovery === null || s.minutesSinceRecovery >= p.recentRecoveryMinutes) return undefined;
      return s.action === 'payment' ? (s.amount >= p.highRiskAmount ? 'hold' : undefined) : 'step_up';
    },
  },
  // 7pay: six top-ups in 40 minutes. The third in the window waits for an analyst.
  { reason: 'topup_velocity', actions: ['topup'], check: (s, p) => (s.topups.count + 1 >= p.topupsHold ? 'hold' : undefined) },
  { reason: 'payment_velocity', actions: ['payment'], check: (s, p) => (s.payments.count + 1 >= p.paymentsHold ? 'hold' : undefined) },
  // Money in by card and straight out at a till: the cash-out step of a raid. Resaleable goods make it a hold.
  { reason: 'topup_then_spend', actions: ['payment'], check: (s, p) => (quickSpend(s, p) ? (isHighRisk(s, p) ? 'hold' : 'step_up') : undefined) },
  { reason: 'high_risk_goods', actions: ['payment'], check: (s, p) => (isHighRisk(s, p) && s.amount >= p.highRiskAmount ? 'hold' : undefined) },
  {
    reason: 'impossible_travel', actions: ['payment'],
    check: (s, p) => {
      const prev = s.previousPayment;
      if (!prev || prev.km < p.travelMinKm) return undefined;
      const hours = Math.max(prev.minutesAgo, 1) / 60;
      return prev.km / hours > p.travelKmh ? 'hold' : undefined;
    },
  },
  // Many cards, or many refusals, from one phone or address: someone is testing stolen numbers.
  {
    reason: 'card_testing', actions: ['card_add', 'topup'],
    check: (s, p) => (s.cardsTried >= p.cardsTriedDeny || s.cardFailures >= p.cardFailuresDeny ? 'deny' : undefined),
  },
  { reason: 'shared_card', actions: ['card_add', 'topup'], check: (s, p) => (s.accountsOnCard >= p.accountsOnCardDeny ? 'deny' : undefined) },
];
