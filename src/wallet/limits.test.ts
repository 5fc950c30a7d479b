import { describe, expect, it } from 'vitest';
import { checkCardTopup, checkCashTopup, checkPayment, remaining, type Limits, type Usage } from './limits.js';

/** SPEC.md WAL-5 defaults. */
const L: Limits = {
  cardTopup: { min: 1000, max: 30_000, per24h: 50_000, per30d: 200_000 },
  cashTopup: { step: 1000, max: 49_000 },
  balanceMax: 100_000,
  payment: { max: 50_000, per24h: 100_000 },
  restrictedPaymentsPer24h: 5000,
};
const fresh: Usage = { balance: 0, incoming: 0, cardTopups24h: 0, cardTopups30d: 0, payments24h: 0 };

describe('limits (WAL-5)', () => {
  it('stops the 7pay pattern: six ¥30,000 card top-ups in 40 minutes', () => {
    // SPEC §1: six top-ups of up to ¥30,000 within 40 minutes, ¥190,000 in all.
    let u = { ...fresh };
    const decisions = [];
    for (let i = 0; i < 6; i++) {
      const d = checkCardTopup(L, u, 30_000, false);
      decisions.push(d.ok ? 'ok' : d.reason);
      if (d.ok) u = { ...u, balance: u.balance + 30_000, incoming: u.incoming + 30_000, cardTopups24h: u.cardTopups24h + 30_000, cardTopups30d: u.cardTopups30d + 30_000 };
    }
    expect(decisions).toEqual(['ok', 'daily_limit', 'daily_limit', 'daily_limit', 'daily_limit', 'daily_limit']);
    expect(checkCardTopup(L, u, 20_000, false)).toEqual({ ok: true }); // up to ¥50,000 a day in all
  });

  it('applies per-top-up, monthly and balance limits, and refuses card top-ups in restricted mode', () => {
    expect(checkCardTopup(L, fresh, 999, false)).toMatchObject({ ok: false, reason: 'below_minimum' });
    expect(checkCardTopup(L, fresh, 30_001, false)).toMatchObject({ ok: false, reason: 'above_maximum' });
    expect(checkCardTopup(L, { ...fresh, cardTopups30d: 190_000 }, 20_000, false)).toMatchObject({ ok: false, reason: 'monthly_limit', remaining: 10_000 });
    expect(checkCardTopup(L, { ...fresh, balance: 90_000, incoming: 95_000 }, 10_000, false)).toMatchObject({ ok: false, reason: 'balance_limit', remaining: 5000 });
    expect(checkCardTopup(L, fresh, 1000, true)).toMatchObject({ ok: false, reason: 'restricted_mode' });
  });

  it('takes cash in ¥1,000 steps up to ¥49,000, even in restricted mode', () => {
    expect(checkCashTopup(L, fresh, 49_000)).toEqual({ ok: true });
    expect(checkCashTopup(L, fresh, 1500)).toMatchObject({ ok: false, reason: 'not_in_steps' });
    expect(checkCashTopup(L, fresh, 50_000)).toMatchObject({ ok: false, reason: 'above_maximum' });
    expect(checkCashTopup(L, { ...fresh, incoming: 99_500 }, 1000)).toMatchObject({ ok: false, reason: 'balance_limit' });
  });

  it('caps payments per payment, per day, and at ¥5,000 a day in restricted mode', () => {
    expect(checkPayment(L, fresh, 50_000, false)).toEqual({ ok: true });
    expect(checkPayment(L, fresh, 50_001, false)).toMatchObject({ reason: 'above_maximum' });
    expect(checkPayment(L, { ...fresh, payments24h: 95_000 }, 10_000, false)).toMatchObject({ reason: 'daily_limit', remaining: 5000 });
    expect(checkPayment(L, fresh, 5000, true)).toEqual({ ok: true });
    expect(checkPayment(L, { ...fresh, payments24h: 4000 }, 1001, true)).toMatchObject({ reason: 'restricted_mode', remaining: 1000 });
  });

  it('reports what remains of each limit', () => {
    const u = { ...fresh, balance: 30_000, incoming: 30_000, cardTopups24h: 30_000, cardTopups30d: 30_000, payments24h: 3000 };
    expect(remaining(L, u, false)).toEqual({ cardTopup24h: 20_000, cardTopup30d: 170_000, balanceRoom: 70_000, payments24h: 97_000 });
    expect(remaining(L, u, true)).toMatchObject({ cardTopup24h: 0, payments24h: 2000 });
  });
});
