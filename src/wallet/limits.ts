/**
 * Limits (WAL-5, ID-10) as pure decisions over the wallet's recent usage. The caller
 * reads the usage with the wallet row locked, in the transaction that posts the
 * movement, so concurrent requests cannot together exceed a limit.
 */

export interface Limits {
  cardTopup: { min: number; max: number; per24h: number; per30d: number };
  cashTopup: { step: number; max: number };
  balanceMax: number;
  payment: { max: number; per24h: number };
  /** Restricted mode (ID-10): card top-ups are refused and payments capped. */
  restrictedPaymentsPer24h: number;
}

/** What the wallet has done recently; pending (in-flight) amounts count as used. */
export interface Usage {
  balance: number;
  /** Balance plus money already on its way in (pending top-ups). */
  incoming: number;
  cardTopups24h: number;
  cardTopups30d: number;
  payments24h: number;
}

export type LimitReason =
  | 'below_minimum' | 'above_maximum' | 'not_in_steps' | 'daily_limit' | 'monthly_limit'
  | 'balance_limit' | 'restricted_mode';

export type LimitDecision =
  | { ok: true }
  | { ok: false; reason: LimitReason; limit: number; remaining: number };

const refuse = (reason: LimitReason, limit: number, remaining: number): LimitDecision =>
  ({ ok: false, reason, limit, remaining: Math.max(0, remaining) });

export function checkCardTopup(l: Limits, u: Usage, amount: number, restricted: boolean): LimitDecision {
  if (restricted) return refuse('restricted_mode', 0, 0);
  if (amount < l.cardTopup.min) return refuse('below_minimum', l.cardTopup.min, l.cardTopup.min);
  if (amount > l.cardTopup.max) return refuse('above_maximum', l.cardTopup.max, l.cardTopup.max);
  if (u.cardTopups24h + amount > l.cardTopup.per24h) return refuse('daily_limit', l.cardTopup.per24h, l.cardTopup.per24h - u.cardTopups24h);
  if (u.cardTopups30d + amount > l.cardTopup.per30d) return refuse('monthly_limit', l.cardTopup.per30d, l.cardTopup.per30d - u.cardTopups30d);
  return checkBalance(l, u, amount);
}

export function checkCashTopup(l: Limits, u: Usage, amount: number): LimitDecision {
  if (amount < l.cashTopup.step) return refuse('below_minimum', l.cashTopup.step, l.cashTopup.step);
  if (amount % l.cashTopup.step !== 0) return refuse('not_in_steps', l.cashTopup.step, 0);
  if (amount > l.cashTopup.max) return refuse('above_maximum', l.cashTopup.max, l.cashTopup.max);
  return checkBalance(l, u, amount);
}

function checkBalance(l: Limits, u: Usage, amount: number): LimitDecision {
  return u.incoming + amount > l.balanceMax ? refuse('balance_limit', l.balanceMax, l.balanceMax - u.incoming) : { ok: true };
}

export function checkPayment(l: Limits, u: Usage, amount: number, restricted: boolean): LimitDecision {
  if (amount > l.payment.max) return refuse('above_maximum', l.payment.max, l.payment.max);
  if (u.payments24h + amount > l.payment.per24h) return refuse('daily_limit', l.payment.per24h, l.payment.per24h - u.payments24h);
  if (restricted && u.payments24h + amount > l.restrictedPaymentsPer24h) {
    return refuse('restricted_mode', l.restrictedPaymentsPer24h, l.restrictedPaymentsPer24h - u.payments24h);
  }
  return { ok: true };
}

/** What remains of each limit, for the wallet screen. */
export function remaining(l: Limits, u: Usage, restricted: boolean) {
  return {
    cardTopup24h: restricted ? 0 : Math.max(0, Math.min(l.cardTopup.per24h - u.cardTopups24h, l.cardTopup.per30d - u.cardTopups30d, l.balanceMax - u.incoming)),
    cardTopup30d: Math.max(0, l.cardTopup.per30d - u.cardTopups30d),
    balanceRoom: Math.max(0, l.balanceMax - u.incoming),
    payments24h: Math.max(0, (restricted ? Math.min(l.payment.per24h, l.restrictedPaymentsPer24h) : l.payment.per24h) - u.payments24h),
  };
}
