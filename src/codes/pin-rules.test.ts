import { describe, expect, it } from 'vitest';
import { CODE_ENTROPY_BITS, CODE_LENGTH, isPaymentCodeShape, newPaymentCode } from './format.js';
import { isWeakPin, PIN_PATTERN } from './pin-rules.js';

describe('app PIN rules', () => {
  it.each(['0000', '1111', '999999', '1234', '4567', '7890', '123456', '4321', '987654', '0987', '3210', '56789'])('refuses %s as weak', (pin) => {
    expect(isWeakPin(pin)).toBe(true);
  });

  it.each(['2580', '1357', '1243', '7391', '112233', '902118', '0912'])('accepts %s', (pin) => {
    expect(isWeakPin(pin)).toBe(false);
  });

  it('takes 4 to 6 digits only', () => {
    expect(['123', '1234567', '12a4', ' 2580', '２５８０'].some((p) => PIN_PATTERN.test(p))).toBe(false);
  });
});

describe('payment code format', () => {
  it('is the prefix and random digits, at least 50 bits', () => {
    const codes = Array.from({ length: 200 }, () => newPaymentCode());
    for (const c of codes) {
      expect(c).toMatch(/^99\d{18}$/);
      expect(isPaymentCodeShape(c)).toBe(true);
    }
    expect(new Set(codes).size).toBe(codes.length);
    expect(CODE_LENGTH).toBe(20);
    expect(CODE_ENTROPY_BITS).toBeGreaterThanOrEqual(50);
  });

  it('refuses anything else before a lookup', () => {
    const c = newPaymentCode();
    for (const bad of [c.slice(1), `${c}0`, `98${c.slice(2)}`, `${c.slice(0, 19)}x`, ` ${c.slice(1)}`, '']) expect(isPaymentCodeShape(bad)).toBe(false);
  });
});
