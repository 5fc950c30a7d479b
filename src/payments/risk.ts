/**
 * The risk decision a payment asks for before money moves (RISK-1). The batch asks once
 * for all its payments (one read, not one per payment) and, after judging, hands back the
 * ones that reached the risk check so the decisions are logged, holds become cases and
 * the customers are told — all in the batch's transaction. The engine stands behind this
 * port (src/risk/payments.ts); `allowAll` is for tests that are not about risk.
 */
import type { Queryable } from '../db/pool.js';

export interface PaymentRiskInput {
  userId: string;
  deviceId: string;
  storeId: string;
  amount: number;
  categories: readonly string[];
}

export interface PaymentRiskVerdict {
  readonly outcome: 'allow' | 'step_up' | 'hold' | 'deny';
  /** For the log and the case; never sent to the till. */
  readonly reasons: readonly string[];
}

/** A payment that reached the risk check, approved or declined by it. */
export interface JudgedPayment<V extends PaymentRiskVerdict = PaymentRiskVerdict> {
  input: PaymentRiskInput;
  verdict: V;
  /** The payment's id when approved, the decline's when not. */
  subject: { type: 'payment' | 'payment_decline'; id: string };
  storeName: string;
}

export interface PaymentRisk<V extends PaymentRiskVerdict = PaymentRiskVerdict> {
  assessMany(q: Queryable, inputs: readonly PaymentRiskInput[], now: Date): Promise<V[]>;
  record(q: Queryable, judged: readonly JudgedPayment<V>[], now: Date): Promise<void>;
}

const ALLOW: PaymentRiskVerdict = Object.freeze({ outcome: 'allow', reasons: [] });

export const allowAll: PaymentRisk = {
  assessMany: (_q, inputs) => Promise.resolve(inputs.map(() => ALLOW)),
  record: () => Promise.resolve(),
};
