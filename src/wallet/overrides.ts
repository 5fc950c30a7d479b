/**
 * Per-customer limits (WAL-5, OPS-2): an operator's override of some of one customer's
 * limits over the configured defaults (migrations/0029_customer_limits.sql says which and
 * why those). Pure: `applyOverride` is the one place an override becomes the `Limits`
 * every check uses — card and cash top-ups, the payment batch and the wallet screen all
 * go through it (`limitsFor` in ./overrides-repo.ts reads the row for one customer; the
 * payment batch reads its payers' rows in one query and calls this).
 */
import type { Limits } from './limits.js';

/** The overridable limits, by their API names. */
export const OVERRIDABLE = ['cardTopup24h', 'cardTopup30d', 'balanceMax', 'payment24h'] as const;
export type OverridableLimit = (typeof OVERRIDABLE)[number];

/** A customer's overrides: null means the configured default. */
export type LimitOverride = Readonly<Record<OverridableLimit, number | null>>;

/** What an operator asks: a field absent stays as it is, null goes back to the default. */
export type LimitChanges = Partial<Record<OverridableLimit, number | null>>;

export const NO_OVERRIDE: LimitOverride = Object.freeze({ cardTopup24h: null, cardTopup30d: null, balanceMax: null, payment24h: null });

/** The most any override may be (the table's CHECK says the same). */
export const OVERRIDE_MAX_YEN = 100_000_000;

/** The configured default of each overridable limit. */
export function defaultsOf(base: Limits): Record<OverridableLimit, number> {
  return { cardTopup24h: base.cardTopup.per24h, cardTopup30d: base.cardTopup.per30d, balanceMax: base.balanceMax, payment24h: base.payment.per24h };
}

/** The limits that apply to a customer with this override. */
export function applyOverride(base: Limits, o: LimitOverride | undefined): Limits {
  if (!o) return base;
  return {
    ...base,
    cardTopup: { ...base.cardTopup, per24h: o.cardTopup24h ?? base.cardTopup.per24h, per30d: o.cardTopup30d ?? base.cardTopup.per30d },
    balanceMax: o.balanceMax ?? base.balanceMax,
    payment: { ...base.payment, per24h: o.payment24h ?? base.payment.per24h },
  };
}

/** The override after the changes. */
export function changed(current: LimitOverride, changes: LimitChanges): LimitOverride {
  const next: Record<OverridableLimit, number | null> = { ...current };
  for (const k of OVERRIDABLE) if (changes[k] !== undefined) next[k] = changes[k]!;
  return next;
}

/**
 * Whether going from `current` to `next` needs a second operator (OPS-2): some limit goes
 * up, and ends more than `thresholdYen` above its default. Lowering never does (it only
 * stops money), nor does going back to the default; an earlier approved raise lowered a
 * little is a lowering. Threshold 0: every raise above the default does.
 */
export function needsApproval(defaults: Record<OverridableLimit, number>, current: LimitOverride, next: LimitOverride, thresholdYen: number): boolean {
  return OVERRIDABLE.some((k) => {
    const before = current[k] ?? defaults[k];
    const after = next[k] ?? defaults[k];
    return after > before && after - defaults[k] > thresholdYen;
  });
}

/** "cardTopup24h 50000→100000, balanceMax default→200000" for the audit log and the history. */
export function describeChange(defaults: Record<OverridableLimit, number>, current: LimitOverride, next: LimitOverride): string {
  const shown = (v: number | null, d: number) => (v === null ? `default(${d})` : String(v));
  return OVERRIDABLE.filter((k) => current[k] !== next[k]).map((k) => `${k} ${shown(current[k], defaults[k])}→${shown(next[k], defaults[k])}`).join(', ');
}

/**
 * Changes as stored in an approval request's payload (JSON), checked again before they
 * are applied: undefined when anything is not an overridable limit with whole yen in
 * range or null.
 */
export function parseChanges(v: unknown): LimitChanges | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const out: LimitChanges = {};
  for (const [k, x] of Object.entries(v)) {
    if (!(OVERRIDABLE as readonly string[]).includes(k)) return undefined;
    if (x !== null && !(Number.isSafeInteger(x) && (x as number) >= 0 && (x as number) <= OVERRIDE_MAX_YEN)) return undefined;
    out[k as OverridableLimit] = x as number | null;
  }
  return Object.keys(out).length ? out : undefined;
}
