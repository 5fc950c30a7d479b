/** The shapes of a case (RISK-2, OPS-3), shared by the service, the routes and the registry. */

export const CASE_KINDS = ['risk_hold', 'risk_flag', 'claim'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

export const CASE_STATUSES = ['open', 'approved', 'rejected', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** What an analyst decides: approve (release what was held, or pay the claim), reject (keep it refused), close (a flag needing nothing). */
export type CaseDecision = 'approved' | 'rejected' | 'closed';

export interface CaseSubject {
  /** 'topup' | 'payment' | 'card' | 'login' | 'signup', as the risk engine names what it held. */
  type: string;
  id: string;
}
