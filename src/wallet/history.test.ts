import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, signUp, type SignedUp } from '../../test/harness/customer.js';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import { withTransaction } from '../db/tx.js';
import { ManualClock } from '../shared/clock.js';
import { fromPublicId, newUuid } from '../shared/ids.js';
import { csvField } from './history.js';
import { ensureAccount, ensureWallet } from './ledger/accounts.js';
import { createTransfer, type TransferSpec } from './ledger/ledger.js';

const clock = new ManualClock('2026-11-25T00:00:00Z');
let t: TestKonpay;
let s: SignedUp;
let other: SignedUp;
beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false, clock });
  s = await signUp(t);
  other = await signUp(t);
  // Six movements a minute apart: four top-ups (one pending, one canceled) and two payments.
  const userId = fromPublicId('usr', s.userId)!;
  await withTransaction(t.konpay.pool, async (q) => {
    const w = await ensureWallet(q, userId, clock.now());
    const clearing = await ensureAccount(q, 'card_clearing', 'card_clearing', null, clock.now());
    const store = await ensureAccount(q, 'merchant_payable:shop', 'merchant_payable', null, clock.now());
    const canceled = newUuid();
    const specs: TransferSpec[] = [
      { phase: 'single', id: newUuid(), debitAccountId: clearing.id, creditAccountId: w.id, amount: 10_000, kind: 'topup_card', metadata: { description: 'Visa 4242' } },
      { phase: 'single', id: newUuid(), debitAccountId: w.id, creditAccountId: store.id, amount: 1200, kind: 'payment', metadata: { description: '=HYPERLINK("http://evil")' } },
      { phase: 'pending', id: canceled, debitAccountId: clearing.id, creditAccountId: w.id, amount: 3000, kind: 'topup_card', expiresAt: new Date('2026-11-26T00:00:00Z') },
      { phase: 'void_pending', id: newUuid(), pendingId: canceled },
      { phase: 'pending', id: newUuid(), debitAccountId: clearing.id, creditAccountId: w.id, amount: 2000, kind: 'topup_card', expiresAt: new Date('2026-11-26T00:00:00Z') },
      { phase: 'single', id: newUuid(), debitAccountId: w.id, creditAccountId: store.id, amount: 800, kind: 'payment', metadata: { description: 'Shop, "Shibuya"' } },
      { phase: 'single', id: newUuid(), debitAccountId: clearing.id, creditAccountId: w.id, amount: 5000, kind: 'topup_cash' },
    ];
    for (const spec of specs) {
      clock.advance(60_000);
      expect((await createTransfer(q, spec, clock.now())).kind).toBe('created');
    }
  });
});
afterAll(() => t.stop());

type Page = { movements: { id: string; kind: string; amount: number; status: string; description: string | null }[]; nextCursor: string | null };
const get = async (token: string, query = '') => t.konpay.app.inject({ method: 'GET', url: `/v1/wallet/history${query}`, headers: bearer(token) });

describe('wallet history (WAL-6)', () => {
  it('lists movements newest first, folding two-phase transfers into one line', async () => {
    const page = (await get(s.token)).json() as Page;
    expect(page.movements.map((m) => [m.kind, m.amount, m.status])).toEqual([
      ['topup_cash', 5000, 'posted'], ['payment', -800, 'posted'], ['topup_card', 2000, 'pending'],
      ['topup_card', 3000, 'canceled'], ['payment', -1200, 'posted'], ['topup_card', 10_000, 'posted'],
    ]);
    expect(page.nextCursor).toBeNull();
  });

  it('pages with a cursor, without gaps or repeats, and refuses forged cursors', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await get(s.token, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json() as Page;
      seen.push(...page.movements.map((m) => m.id));
      cursor = page.nextCursor;
    } while (cursor);
    const all = ((await get(s.token)).json() as Page).movements.map((m) => m.id);
    expect(seen).toEqual(all);
    expect((await get(s.token, '?cursor=not-a-cursor')).json()).toMatchObject({ status: 400, code: 'invalid_cursor' });
  });

  it('filters by kind and by time', async () => {
    const payments = (await get(s.token, '?kind=payment')).json() as Page;
    expect(payments.movements.map((m) => m.amount)).toEqual([-800, -1200]);
    const window = (await get(s.token, '?from=2026-11-25T00:02:00Z&to=2026-11-25T00:05:30Z')).json() as Page;
    expect(window.movements.map((m) => m.amount)).toEqual([2000, 3000, -1200]);
    expect((await get(s.token, '?kind=DROP%20TABLE')).statusCode).toBe(400);
  });

  it('shows each customer only their own wallet', async () => {
    expect(((await get(other.token)).json() as Page).movements).toEqual([]);
  });

  it('exports CSV that spreadsheets cannot be tricked into running', async () => {
    const res = await t.konpay.app.inject({ method: 'GET', url: '/v1/wallet/history.csv?kind=payment', headers: bearer(s.token) });
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="konpay-history.csv"');
    // The byte-order mark makes Excel read UTF-8 (Japanese store names) rather than Shift_JIS.
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = res.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,created_at,kind,direction,amount_jpy,status,description');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/,payment,out,-800,posted,"Shop, ""Shibuya"""$/);
    expect(lines[2]).toMatch(/,payment,out,-1200,posted,"'=HYPERLINK\(""http:\/\/evil""\)"$/);
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
  });
});
