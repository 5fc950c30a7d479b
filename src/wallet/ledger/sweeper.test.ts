import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKonpay, type TestKonpay } from '../../../test/harness/konpay.js';
import { withTransaction } from '../../db/tx.js';
import { newUuid } from '../../shared/ids.js';
import { availableOf, ensureAccount } from './accounts.js';
import { createTransfer } from './ledger.js';
import { findAccount, findResolution } from './repo.js';

let t: TestKonpay;
beforeAll(async () => {
  t = await startTestKonpay({ LEDGER_SWEEP_MS: '20' });
});
afterAll(() => t.stop());

describe('pending sweeper', () => {
  it('voids an expired hold on its own, returning the reserved money, and leaves live holds alone', async () => {
    const now = new Date();
    const ids = { expired: newUuid(), live: newUuid() };
    const wallet = await withTransaction(t.konpay.pool, async (q) => {
      const w = await ensureAccount(q, `wallet:${newUuid()}`, 'wallet', null, now);
      const clearing = await ensureAccount(q, `card_clearing:${newUuid()}`, 'card_clearing', null, now);
      const shop = await ensureAccount(q, `merchant_payable:${newUuid()}`, 'merchant_payable', null, now);
      await createTransfer(q, { phase: 'single', id: newUuid(), debitAccountId: clearing.id, creditAccountId: w.id, amount: 5000, kind: 'topup_cash' }, now);
      // Created a minute ago with a 30-second life: already past its expiry.
      await createTransfer(q, { phase: 'pending', id: ids.expired, debitAccountId: w.id, creditAccountId: shop.id, amount: 3000, kind: 'payment', expiresAt: new Date(now.getTime() - 30_000) }, new Date(now.getTime() - 60_000));
      await createTransfer(q, { phase: 'pending', id: ids.live, debitAccountId: w.id, creditAccountId: shop.id, amount: 1000, kind: 'payment', expiresAt: new Date(now.getTime() + 600_000) }, now);
      return w;
    });
    const deadline = Date.now() + 5_000;
    while (!(await findResolution(t.konpay.pool, ids.expired))) {
      if (Date.now() > deadline) throw new Error('the sweeper did not void the expired hold');
      await sleep(20);
    }
    expect((await findResolution(t.konpay.pool, ids.expired))!.phase).toBe('void_pending');
    expect(await findResolution(t.konpay.pool, ids.live)).toBeUndefined();
    expect(availableOf((await findAccount(t.konpay.pool, wallet.id))!)).toBe(4000);
  });
});
