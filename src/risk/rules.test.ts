/**
 * The rules on their own: each fires at its threshold and not below, the strongest
 * outcome wins, and the 7pay raid's numbers are stopped at each step. The engine is pure,
 * so these run without a database; the wiring is tested where each flow asks for it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide } from './decide.js';
import { DEFAULT_RISK_POLICY as P } from './policy.js';
import { OUTCOMES, RULES } from './rules.js';
import { QUIET, type RiskAction, type RiskSignals } from './signals.js';

const signals = (action: RiskAction, over: Partial<RiskSignals> = {}): RiskSignals => ({ ...QUIET, action, ...over });
const reasons = (s: RiskSignals) => decide(s, P).findings.map((f) => f.reason);

describe('risk rules', () => {
  it('allows an ordinary customer at every moment', () => {
    for (const action of ['login', 'signup', 'card_add', 'topup', 'payment'] as const) {
      expect(decide(signals(action, { amount: 3000 }), P)).toMatchObject({ outcome: 'allow', findings: [] });
    }
  });

  it('replays the 7pay raid: a new device, six ¥30,000 top-ups in 40 minutes, then ¥95,000 of e-cigarettes', () => {
    const device = { deviceAgeMinutes: 5 };
    // The first top-up from the attacker's phone already asks for a second factor.
    expect(decide(signals('topup', { ...device, amount: 30_000 }), P)).toMatchObject({ outcome: 'step_up', findings: [{ reason: 'new_device' }] });
    // The third in the window is held for an analyst, whatever the second factor said.
    const third = decide(signals('topup', { ...device, amount: 30_000, topups: { count: 2, amount: 60_000 } }), P);
    expect(third.outcome).toBe('hold');
    expect(third.findings.map((f) => f.reason)).toEqual(['topup_velocity', 'new_device']);
    // The cash-out: resaleable goods minutes after the money came in.
    const spend = decide(signals('payment', {
      ...device, amount: 95_000, categories: ['e_cigarettes'], lastTopup: { minutesAgo: 3, amount: 30_000 }, topups: { count: 6, amount: 180_000 },
    }), P);
    expect(spend.outcome).toBe('hold');
    expect(spend.findings.map((f) => f.reason).sort()).toEqual(['high_risk_goods', 'topup_then_spend']);
  });

  it('fires each threshold rule at its threshold and not one below', () => {
    const cases: [RiskAction, (n: number) => Partial<RiskSignals>, number, string][] = [
      ['login', (n) => ({ loginFailures: n }), P.loginFailuresStepUp, 'login_failures'],
      ['login', (n) => ({ accountsOnDevice: n }), P.accountsOnDeviceStepUp, 'shared_device'],
      ['signup', (n) => ({ signupsFromDevice: n }), P.signupsFromDeviceDeny, 'signup_farming'],
      ['login', (n) => ({ accountsOnInstall: n }), P.accountsOnInstallStepUp, 'shared_install'],
      ['signup', (n) => ({ signupsFromInstall: n }), P.signupsFromInstallDeny, 'install_farming'],
      ['topup', (n) => ({ topups: { count: n - 1, amount: 0 } }), P.topupsHold, 'topup_velocity'],
      ['payment', (n) => ({ payments: { count: n - 1, amount: 0 } }), P.paymentsHold, 'payment_velocity'],
      ['card_add', (n) => ({ cardsTried: n }), P.cardsTriedDeny, 'card_testing'],
      ['topup', (n) => ({ cardFailures: n }), P.cardFailuresDeny, 'card_testing'],
      ['card_add', (n) => ({ accountsOnCard: n }), P.accountsOnCardDeny, 'shared_card'],
    ];
    for (const [action, over, at, reason] of cases) {
      expect(reasons(signals(action, over(at))), reason).toContain(reason);
      expect(reasons(signals(action, over(at - 1))), reason).not.toContain(reason);
    }
  });

  it('asks a new or recently recovered account for a second factor before card money moves', () => {
    expect(decide(signals('card_add', { deviceAgeMinutes: null }), P).outcome).toBe('step_up');
    expect(decide(signals('card_add', { deviceAgeMinutes: P.newDeviceMinutes }), P).outcome).toBe('allow');
    // The phone the account was made on is not "new": there was no other phone to take over from.
    expect(decide(signals('topup', { deviceAgeMinutes: 2, signupDevice: true }), P).outcome).toBe('allow');
    expect(decide(signals('topup', { deviceAgeMinutes: 2, signupDevice: false }), P).outcome).toBe('step_up');
    expect(decide(signals('topup', { minutesSinceRecovery: 30 }), P)).toMatchObject({ outcome: 'step_up', findings: [{ reason: 'recent_recovery' }] });
    // At the till a second factor cannot be asked; a large payment just after a reset waits instead.
    expect(decide(signals('payment', { minutesSinceRecovery: 30, amount: P.highRiskAmount }), P).outcome).toBe('hold');
    expect(decide(signals('payment', { minutesSinceRecovery: 30, amount: 500 }), P).outcome).toBe('allow');
  });

  it('tells a quick spend from an ordinary one, and resaleable goods from groceries', () => {
    const justToppedUp = { lastTopup: { minutesAgo: 10, amount: 10_000 } };
    expect(decide(signals('payment', { ...justToppedUp, amount: 9_000 }), P).outcome).toBe('step_up');
    expect(decide(signals('payment', { ...justToppedUp, amount: 9_000, categories: ['gift_cards'] }), P).outcome).toBe('hold');
    expect(decide(signals('payment', { ...justToppedUp, amount: 2_000 }), P).outcome).toBe('allow');
    expect(decide(signals('payment', { lastTopup: { minutesAgo: P.quickSpendMinutes + 1, amount: 10_000 }, amount: 9_000 }), P).outcome).toBe('allow');
    expect(decide(signals('payment', { amount: P.highRiskAmount, categories: ['groceries'] }), P).outcome).toBe('allow');
  });

  it('holds a payment two stores apart faster than a train, not a neighbour\'s', () => {
    // Tokyo to Osaka (400 km) in 30 minutes; then the next street, a minute later.
    expect(decide(signals('payment', { amount: 500, previousPayment: { minutesAgo: 30, km: 400 } }), P).findings).toEqual([{ reason: 'impossible_travel', outcome: 'hold' }]);
    expect(decide(signals('payment', { amount: 500, previousPayment: { minutesAgo: 1, km: 2 } }), P).outcome).toBe('allow');
    expect(decide(signals('payment', { amount: 500, previousPayment: { minutesAgo: 180, km: 400 } }), P).outcome).toBe('allow');
  });

  it('lets the strongest outcome win and lists every reason, strongest first', () => {
    const d = decide(signals('topup', { deviceAgeMinutes: null, topups: { count: 5, amount: 0 }, cardsTried: 9 }), P);
    expect(d.outcome).toBe('deny');
    expect(d.findings.map((f) => f.outcome)).toEqual(['deny', 'hold', 'step_up']);
  });

  it('never weakens its answer when a signal gets worse (property)', () => {
    const action = fc.constantFrom<RiskAction>('login', 'signup', 'card_add', 'topup', 'payment');
    const n = fc.nat({ max: 20 });
    fc.assert(fc.property(action, n, n, n, n, n, fc.nat({ max: 5 }), (act, failures, topups, tried, accounts, signups, more) => {
      const base = signals(act, { amount: 5000, loginFailures: failures, topups: { count: topups, amount: 0 }, cardsTried: tried, accountsOnDevice: accounts, signupsFromDevice: signups });
      const worse = { ...base, loginFailures: failures + more, topups: { count: topups + more, amount: 0 }, cardsTried: tried + more, accountsOnDevice: accounts + more, signupsFromDevice: signups + more };
      const rank = (s: RiskSignals) => OUTCOMES.indexOf(decide(s, P).outcome);
      return rank(worse) >= rank(base);
    }));
  });

  it('names each rule once, for analysts\' filters', () => {
    const names = RULES.map((r) => r.reason);
    // card_testing is one reason from two signals inside one rule.
    expect(new Set(names).size).toBe(names.length);
  });
});
