/**
 * RISK_POLICY: a JSON object overriding any of the policy's thresholds (policy.ts), so a
 * risk analyst can tighten one rule during an incident with a restart, not a release.
 * Unknown keys are refused: a misspelt threshold must not be silently ignored.
 *
 * @example RISK_POLICY='{"topupsHold":2,"highRiskAmount":20000}'
 */
import { z } from 'zod';
import { DEFAULT_RISK_POLICY, type RiskPolicy } from './policy.js';

const n = (max: number) => z.number().min(0).max(max);
const minutes = z.number().int().min(1).max(30 * 24 * 60);
const count = z.number().int().min(1).max(1_000_000);

export const riskPolicySchema = z.object({
  velocityWindowMinutes: minutes, newDeviceMinutes: minutes, recentRecoveryMinutes: minutes, loginFailuresStepUp: count,
  topupsHold: count, paymentsHold: count, quickSpendMinutes: minutes, quickSpendShare: n(1),
  highRiskCategories: z.array(z.string().regex(/^[a-z0-9_]{1,40}$/)).max(100), highRiskAmount: z.number().int().min(1),
  travelKmh: n(100_000), travelMinKm: n(50_000), cardsTriedDeny: count, cardFailuresDeny: count,
  accountsOnDeviceStepUp: count, signupsFromDeviceDeny: count, accountsOnInstallStepUp: count, signupsFromInstallDeny: count, accountsOnCardDeny: count,
  sharingWindowMinutes: minutes, stepUpFreshMinutes: minutes,
}).partial().strict();

/** The defaults with the JSON's overrides; throws a readable message on a bad value. */
export function parseRiskPolicy(json: string | undefined): RiskPolicy {
  if (json === undefined || json.trim() === '') return DEFAULT_RISK_POLICY;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error('RISK_POLICY must be a JSON object');
  }
  const parsed = riskPolicySchema.safeParse(raw);
  if (!parsed.success) throw new Error(`RISK_POLICY: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return { ...DEFAULT_RISK_POLICY, ...Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) };
}
