import { defineErrors, problem, type ProblemError } from '../../shared/errors.js';
import type { Feature, FeatureGate, PauseScope } from './features.js';

/**
 * What kill switches answer. `feature_paused` is the one refusal every switched-off
 * feature gives (card and cash top-ups, payments, sign-ups): 503, because the service is
 * deliberately unavailable for a while and nothing is wrong with the request, the
 * customer or their account. It is declared once, here, and raised by each module.
 * The operator's reason is never shown: it may name an attack or a store's trouble.
 */
export const switchErrors = defineErrors('switches', {
  feature_paused: {
    status: 503, title: 'Konpay operations have paused this feature for now',
    hint: 'Not the customer\'s fault and nothing was charged or used up: an operator switched the feature off (`feature`: `card_topups`, `cash_topups`, `payments` or `signups`; `scope`: `global`, or `store` for this store only). Try again later; a payment code shown for a refused payment or cash top-up still works.',
  },
  switch_not_store_scoped: {
    status: 400, title: 'This feature can only be switched for every store at once',
    hint: 'Only `payments` and `cash_topups` happen at a store; switch `card_topups` and `signups` without a `storeId`.',
  },
  switch_reason_required: { status: 400, title: 'Say why the feature is switched off', hint: 'A `reason` is required when switching off; it is recorded with who and when.' },
});

const WHAT: Record<Feature, string> = {
  card_topups: 'Card top-ups are',
  cash_topups: 'Cash top-ups are',
  payments: 'Payments are',
  signups: 'New sign-ups are',
};

export function featurePaused(feature: Feature, scope: PauseScope): ProblemError {
  const where = scope === 'store' ? ' at this store' : '';
  return problem(switchErrors, 'feature_paused',
    `${WHAT[feature]} paused${where} by Konpay operations for now. This is not a problem with the customer's account or request; nothing was charged. Try again later.`,
    { feature, scope });
}

/**
 * Throws `feature_paused` when the feature is off (for everyone, or for `storeId`). For
 * the HTTP edge: called before anything is claimed, used up or charged.
 */
export function refuseIfPaused(gate: FeatureGate, feature: Feature, storeId?: string): void {
  const scope = gate.paused(feature, storeId);
  if (scope) throw featurePaused(feature, scope);
}
