import { describe, expect, it } from 'vitest';
import { dayIsOver, isBusinessDate, nextWeekday } from './dates.js';

describe('business dates', () => {
  it('accept real calendar dates only', () => {
    expect(['2026-03-10', '2028-02-29'].map(isBusinessDate)).toEqual([true, true]);
    expect(['2026-02-30', '2026-3-10', '20260310', '2026-03-10T00:00', ''].map(isBusinessDate)).toEqual([false, false, false, false, false]);
  });

  it('end at midnight JST (15:00 UTC)', () => {
    expect(dayIsOver('2026-03-10', new Date('2026-03-10T14:59:59.999Z'))).toBe(false);
    expect(dayIsOver('2026-03-10', new Date('2026-03-10T15:00:00.000Z'))).toBe(true);
  });

  it('pay on the next weekday by default', () => {
    expect(nextWeekday('2026-03-10')).toBe('2026-03-11'); // Tuesday → Wednesday
    expect(nextWeekday('2026-03-13')).toBe('2026-03-16'); // Friday → Monday
    expect(nextWeekday('2026-03-14')).toBe('2026-03-16'); // Saturday → Monday
  });
});

describe('settlement error codes', () => {
  it('are unique across every module\'s table', async () => {
    const { ERROR_MODULES } = await import('../server.js');
    const { errorCatalogue } = await import('../shared/errors.js');
    const { settlementErrors } = await import('./errors.js');
    expect(ERROR_MODULES).toContain(settlementErrors);
    expect(errorCatalogue(ERROR_MODULES).get('settlement_ledger_mismatch')).toMatchObject({ module: 'settlement', status: 409 });
  });
});
