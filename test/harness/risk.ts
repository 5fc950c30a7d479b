/**
 * Forcing the risk engine's answer. No login rule denies or holds under any policy today
 * (they only ask for a step-up), yet every flow must honour whatever outcome the engine
 * gives, for the rule an analyst adds tomorrow. So a test runs the real engine (signals
 * read, decision logged) and replaces only the outcome the flow sees. Undo with
 * `mockRestore()` on the answer.
 */
import { vi } from 'vitest';
import type { RiskOutcome } from '../../src/risk/rules.js';
import type { TestKonpay } from './konpay.js';

export function forceRiskOutcome(t: TestKonpay, outcome: RiskOutcome, action = 'login') {
  const risk = t.konpay.identity.risk;
  const real = risk.assessAccount.bind(risk);
  return vi.spyOn(risk, 'assessAccount').mockImplementation(async (q, ask) => {
    const v = await real(q, ask);
    return ask.action === action ? { ...v, outcome, steppedUp: false } : v;
  });
}
