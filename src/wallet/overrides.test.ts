/** Per-customer limit overrides (OPS-2): how they combine with the defaults, and which change needs a second operator. */
import { describe, expect, it } from 'vitest';
import { checkCardTopup, type Limits } from './limits.js';
import { applyOverride, changed, defaultsOf, describeChange, needsApproval, NO_OVERRIDE, parseChanges } from './overrides.js';

const L: Limits = {
  cardTopup: { min: 1000, max: 30_000, per24h: 50_000, per30d: 200_000 },
  cashTopup: { step: 1000, max: 49_000 },
  balanceMax: 100_000,
  payment: { max: 50_000, per24h: 100_000 },
  restrictedPaymentsPer24h: 5000,
};
const D = defaultsOf(L);

describe('applyOverride', () => {
  it('no override is the defaults; each value replaces its own limit only', () => {
    expect(applyOverride(L, undefined)).toEqual(L);
    expect(applyOverride(L, NO_OVERRIDE)).toEqual(L);
    const o = changed(NO_OVERRIDE, { cardTopup24h: 0, payment24h: 150_000 });
    expect(applyOverride(L, o)).toEqual({ ...L, cardTopup: { ...L.cardTopup, per24h: 0 }, payment: { ...L.payment, per24h: 150_000 } });
    // 0 means none at all, not "the default".
    expect(checkCardTopup(applyOverride(L, o), { balance: 0, incoming: 0, cardTopups24h: 0, cardTopups30d: 0, payments24h: 0 }, 1000, false))
      .toMatchObject({ ok: false, reason: 'daily_limit', limit: 0 });
  });

  it('the restricted-mode cap and the per-transaction bounds are never overridden', () => {
    const all = changed(NO_OVERRIDE, { cardTopup24h: 1, cardTopup30d: 1, balanceMax: 1, payment24h: 1 });
    const l = applyOverride(L, all);
    expect([l.cardTopup.min, l.cardTopup.max, l.cashTopup, l.payment.max, l.restrictedPaymentsPer24h]).toEqual([1000, 30_000, L.cashTopup, 50_000, 5000]);
  });
});

describe('needsApproval', () => {
  const raise = (changes: Parameters<typeof changed>[1], threshold = 0, current = NO_OVERRIDE) => needsApproval(D, current, changed(current, changes), threshold);

  it('threshold 0: every raise above the default, and only those', () => {
    expect(raise({ balanceMax: 100_001 })).toBe(true);
    expect(raise({ balanceMax: 100_000 })).toBe(false);
    expect(raise({ balanceMax: 0 })).toBe(false);
    expect(raise({ payment24h: 10_000, cardTopup24h: 60_000 })).toBe(true); // a lowering with a raise waits whole
  });

  it('a raise within the threshold applies at once; past it waits', () => {
    expect(raise({ cardTopup24h: 60_000 }, 10_000)).toBe(false);
    expect(raise({ cardTopup24h: 60_001 }, 10_000)).toBe(true);
  });

  it('from a lowered or raised value: back to the default and lowering never wait, raising further does', () => {
    const lowered = changed(NO_OVERRIDE, { payment24h: 1000 });
    expect(raise({ payment24h: null }, 0, lowered)).toBe(false);
    expect(raise({ payment24h: 50_000 }, 0, lowered)).toBe(false);
    const raised = changed(NO_OVERRIDE, { payment24h: 200_000 });
    expect(raise({ payment24h: 150_000 }, 0, raised)).toBe(false);
    expect(raise({ payment24h: 250_000 }, 0, raised)).toBe(true);
  });
});

it('describeChange names what changed, old → new', () => {
  const before = changed(NO_OVERRIDE, { payment24h: 1000 });
  expect(describeChange(D, before, changed(before, { payment24h: null, balanceMax: 5000 }))).toBe('balanceMax default(100000)→5000, payment24h 1000→default(100000)');
  expect(describeChange(D, before, changed(before, { payment24h: 1000 }))).toBe('');
});

it('parseChanges accepts only overridable limits with whole yen in range or null', () => {
  expect(parseChanges({ balanceMax: 5000, payment24h: null })).toEqual({ balanceMax: 5000, payment24h: null });
  for (const bad of [null, [], {}, { balanceMax: -1 }, { balanceMax: 1.5 }, { balanceMax: '5' }, { restrictedPaymentsPer24h: 1 }, { balanceMax: 100_000_001 }]) {
    expect(parseChanges(bad)).toBeUndefined();
  }
});
