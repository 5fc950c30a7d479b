/**
 * The features an operator can switch off (SPEC OPS-1). Payments and cash top-ups happen
 * at a store's till, so they can be switched off for one store as well as for all;
 * card top-ups and sign-ups belong to no store and have only the global switch.
 */
export const FEATURES = ['card_topups', 'cash_topups', 'payments', 'signups'] as const;
export type Feature = (typeof FEATURES)[number];

export const STORE_SCOPED: ReadonlySet<Feature> = new Set(['cash_topups', 'payments']);

/** Whether a paused feature is off for everyone or for this store only. */
export type PauseScope = 'global' | 'store';

/**
 * What enforcement points ask, on the hot path: an in-memory look-up (the switch board,
 * ./board.ts), never a database round trip. Undefined: the feature is on.
 */
export interface FeatureGate {
  paused(feature: Feature, storeId?: string): PauseScope | undefined;
}
