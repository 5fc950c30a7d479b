/**
 * The engine (RISK-1): every rule for the action runs, the strongest outcome wins, and
 * every rule that fired is a reason. The decision carries the signals it was made on, so
 * the log and a case show the evidence, not just the verdict.
 */
import type { RiskPolicy } from './policy.js';
import { OUTCOMES, RULES, type RiskOutcome, type RiskReason, type Rule } from './rules.js';
import type { RiskSignals } from './signals.js';

export interface RiskFinding {
  readonly reason: RiskReason;
  readonly outcome: Exclude<RiskOutcome, 'allow'>;
}

export interface RiskDecision {
  readonly outcome: RiskOutcome;
  /** Every rule that fired, strongest first. */
  readonly findings: readonly RiskFinding[];
  readonly signals: RiskSignals;
}

const rank = (o: RiskOutcome) => OUTCOMES.indexOf(o);

export function decide(signals: RiskSignals, policy: RiskPolicy, rules: readonly Rule[] = RULES): RiskDecision {
  const findings: RiskFinding[] = [];
  for (const rule of rules) {
    if (!rule.actions.includes(signals.action)) continue;
    const outcome = rule.check(signals, policy);
    if (outcome) findings.push({ reason: rule.reason, outcome });
  }
  findings.sort((a, b) => rank(b.outcome) - rank(a.outcome));
  return { outcome: findings[0]?.outcome ?? 'allow', findings, signals };
}
