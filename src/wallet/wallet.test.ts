import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, latestCode, signUp } from '../../test/harness/customer.js';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import { withTransaction } from '../db/tx.js';
import { fromPublicId, newUuid } from '../shared/ids.js';
import { ensureAccount, ensureWallet } from './ledger/accounts.js';
import { createTransfer } from './ledger/ledger.js';

let t: TestKonpay;
beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false });
});
afterAll(() => t.stop());

const wallet = async (token: string) => (await t.konpay.app.inject({ method: 'GET', url: '/v1/wallet', headers: bearer(token) })).json() as Record<string, unknown> & { remaining: Record<string, number> };

describe('GET /v1/wallet', () => {
  it('shows an empty wallet with the full limits', async () => {
    const s = await signUp(t);
    expect(await wallet(s.token)).toMatchObject({
      currency: 'JPY', balance: 0, available: 0, restrictedUntil: null, frozen: false,
      remaining: { cardTopup24h: 50_000, cardTopup30d: 200_000, balanceRoom: 100_000, payments24h: 100_000 },
    });
    expect((await t.konpay.app.inject({ method: 'GET', url: '/v1/wallet' })).statusCode).toBe(401);
  });

  it('counts posted and in-flight card top-ups against the limits, but not voided ones', async () => {
    const s = await signUp(t);
    const userId = fromPublicId('usr', s.userId)!;
    const now = t.konpay.identity.clock.now();
    const expiresAt = new Date(now.getTime() + 600_000);
    await withTransaction(t.konpay.pool, async (q) => {
      const w = await ensureWallet(q, userId, now);
      const clearing = await ensureAccount(q, 'card_clearing', 'card_clearing', null, now);
      const move = (amount: number, phase: 'single' | 'pending', id = newUuid()) =>
        createTransfer(q, phase === 'single'
          ? { phase, id, debitAccountId: clearing.id, creditAccountId: w.id, amount, kind: 'topup_card' }
          : { phase, id, debitAccountId: clearing.id, creditAccountId: w.id, amount, kind: 'topup_card', expiresAt }, now);
      await move(20_000, 'single');
      await move(10_000, 'pending');
      const voided = newUuid();
      await move(5000, 'pending', voided);
      await createTransfer(q, { phase: 'void_pending', id: newUuid(), pendingId: voided }, now);
    });
    expect(await wallet(s.token)).toMatchObject({
      balance: 20_000, available: 20_000, pendingIn: 10_000,
      remaining: { cardTopup24h: 20_000, cardTopup30d: 170_000, balanceRoom: 70_000 },
    });
  });

  it('shows restricted mode after a login on a new device', async () => {
    const s = await signUp(t);
    const login = await t.konpay.app.inject({ method: 'POST', url: '/v1/login', payload: { identifier: s.email, password: s.password } });
    const { flowId } = login.json() as { flowId: string };
    await t.konpay.app.inject({ method: 'POST', url: `/v1/login/${flowId}/sms` });
    const code = await latestCode(t, s.phoneE164, 'sms');
    const done = await t.konpay.app.inject({ method: 'POST', url: `/v1/login/${flowId}/verify`, payload: { method: 'sms', code } });
    const token = (done.json() as { session: { token: string } }).session.token;
    const w = await wallet(token);
    expect(w.restrictedUntil).not.toBeNull();
    expect(w.remaining).toMatchObject({ cardTopup24h: 0, payments24h: 5000 });
  });
});
