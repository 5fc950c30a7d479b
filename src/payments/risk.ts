/**
 * The risk decision a payment asks for before money moves (RISK-1). The risk engine
 * plugs in here; until its rules exist the composition root passes `allowAll`, and the
 * limits, restricted mode and frozen accounts are what stop a raid.
 */
import type { Queryable } from '../db/pool.js';

export interface PaymentRiskInput {
  userId: string;
  deviceId: string;
  storeId: string;
  amount: number;
  categories: readonly string[];
  now: Date;
}

export type RiskDecision = { decision: 'allow' } | { decision: 'deny'; reasons: string[] };

export interface PaymentRisk {
  assess(q: Queryable, input: PaymentRiskInput): Promise<RiskDecision>;
}

export const allowAll: PaymentRisk = { assess: () => Promise.resolve({ decision: 'allow' }) };
