/**
 * Kill switches (OPS-1): the service's rules, the history, the switch board's view from
 * another process's side (a second board on the same database), and the operator API's
 * contract that the operations console is built against.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKonpay, type TestKonpay } from '../../../test/harness/konpay.js';
import { merchantDeps } from '../../../test/harness/pos.js';
import { getSwitches, putSwitch } from '../../../test/harness/switches.js';
import { createMerchant, createStore } from '../../merchants/service.js';
import { fromPublicId } from '../../shared/ids.js';
import { SwitchBoard } from './board.js';
import { changeSwitch, switchOverview, type SwitchDeps } from './service.js';

let t: TestKonpay;
let deps: SwitchDeps;
beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false });
  deps = { pool: t.konpay.pool, clock: t.konpay.identity.clock };
});
afterAll(() => t?.stop());

async function newStore(): Promise<{ id: string; uuid: string }> {
  const m = await createMerchant(merchantDeps(t), { name: 'Konbini Mart' });
  const s = await createStore(merchantDeps(t), { merchantId: m.id, name: `Store ${Math.random().toString(36).slice(2, 7)}` });
  if (s.kind !== 'created') throw new Error('no store');
  return { id: s.id, uuid: fromPublicId('sto', s.id)! };
}

interface AuditLine { audit?: { who: string; action: string; ids: Record<string, string>; outcome: string } }
const auditLines = () => t.logs.json().map((l) => (l as AuditLine).audit).filter((a) => a !== undefined);

describe('the service', () => {
  it('starts with every feature on and no history', async () => {
    const o = await switchOverview(deps, 10);
    expect(o.switches.map((s) => [s.feature, s.storeId, s.off, s.changedBy])).toEqual([
      ['card_topups', null, false, null], ['cash_topups', null, false, null], ['payments', null, false, null], ['signups', null, false, null],
    ]);
    expect(o.history).toEqual([]);
  });

  it('refuses to switch off without a reason, a store switch for a storeless feature, and unknown stores', async () => {
    const store = await newStore();
    expect(await changeSwitch(deps, { feature: 'payments', off: true, reason: '  ', by: 'test' })).toEqual({ kind: 'reason_required' });
    expect(await changeSwitch(deps, { feature: 'payments', off: true, by: 'test' })).toEqual({ kind: 'reason_required' });
    expect(await changeSwitch(deps, { feature: 'card_topups', storeId: store.id, off: true, reason: 'x', by: 'test' })).toEqual({ kind: 'not_store_scoped' });
    expect(await changeSwitch(deps, { feature: 'signups', storeId: store.id, off: true, reason: 'x', by: 'test' })).toEqual({ kind: 'not_store_scoped' });
    expect(await changeSwitch(deps, { feature: 'payments', storeId: `sto_${'0'.repeat(32)}`, off: true, reason: 'x', by: 'test' })).toEqual({ kind: 'store_not_found' });
    expect(await changeSwitch(deps, { feature: 'payments', storeId: 'mer_nonsense', off: true, reason: 'x', by: 'test' })).toEqual({ kind: 'store_not_found' });
    expect((await switchOverview(deps, 10)).history).toEqual([]);
  });

  it('records every change with who, when, on or off and why; the state is the latest', async () => {
    const store = await newStore();
    const off = await changeSwitch(deps, { feature: 'cash_topups', storeId: store.id, off: true, reason: ' Till fault ', by: 'alice' });
    expect(off).toEqual({ kind: 'changed', state: expect.objectContaining({ feature: 'cash_topups', storeId: store.id, off: true, reason: 'Till fault', changedBy: 'alice' }) });
    await changeSwitch(deps, { feature: 'cash_topups', storeId: store.id, off: true, reason: 'Still broken', by: 'bob' });
    const on = await changeSwitch(deps, { feature: 'cash_topups', storeId: store.id, off: false, by: 'carol' });
    expect(on).toEqual({ kind: 'changed', state: expect.objectContaining({ off: false, reason: null, changedBy: 'carol', changedAt: expect.any(Date) }) });

    const o = await switchOverview(deps, 10);
    expect(o.switches.filter((s) => s.storeId === store.id)).toEqual([expect.objectContaining({ feature: 'cash_topups', off: false, changedBy: 'carol' })]);
    expect(o.switches.find((s) => s.feature === 'cash_topups' && s.storeId === null)?.off).toBe(false);
    expect(o.history.slice(0, 3).map((h) => [h.storeId, h.off, h.reason, h.changedBy])).toEqual([
      [store.id, false, null, 'carol'], [store.id, true, 'Still broken', 'bob'], [store.id, true, 'Till fault', 'alice'],
    ]);
    expect((await switchOverview(deps, 1)).history).toHaveLength(1);
    expect((await switchOverview(deps, 0)).history).toEqual([]);
  });
});

describe('the switch board (what every server process checks)', () => {
  it('sees a change made elsewhere only when it refreshes, and scopes store switches to their store', async () => {
    const other = new SwitchBoard({ pool: t.db.pool, logger: t.konpay.logger });
    await other.refresh();
    const [a, b] = [await newStore(), await newStore()];
    expect(other.paused('payments', a.uuid)).toBeUndefined();

    await changeSwitch(deps, { feature: 'payments', storeId: a.id, off: true, reason: 'store A only', by: 'test' });
    expect(other.paused('payments', a.uuid)).toBeUndefined(); // not yet read
    await other.refresh();
    expect([other.paused('payments', a.uuid), other.paused('payments', b.uuid), other.paused('payments'), other.paused('cash_topups', a.uuid)])
      .toEqual(['store', undefined, undefined, undefined]);

    // A global switch stops every store, and says so.
    await changeSwitch(deps, { feature: 'payments', off: true, reason: 'everyone', by: 'test' });
    await other.refresh();
    expect([other.paused('payments', a.uuid), other.paused('payments', b.uuid), other.paused('payments')]).toEqual(['global', 'global', 'global']);

    await changeSwitch(deps, { feature: 'payments', off: false, by: 'test' });
    await other.refresh();
    expect([other.paused('payments', a.uuid), other.paused('payments', b.uuid)]).toEqual(['store', undefined]);
    await changeSwitch(deps, { feature: 'payments', storeId: a.id, off: false, by: 'test' });
    await other.refresh();
    expect(other.paused('payments', a.uuid)).toBeUndefined();
  });

  it('polls on its own once started, and stops cleanly', async () => {
    const other = new SwitchBoard({ pool: t.db.pool, logger: t.konpay.logger, everyMs: 20 });
    await other.refresh();
    other.start();
    try {
      const before = other.version;
      await changeSwitch(deps, { feature: 'signups', off: true, reason: 'poll test', by: 'test' });
      const began = Date.now();
      while (other.paused('signups') === undefined && Date.now() - began < 5_000) await new Promise((r) => setTimeout(r, 10));
      expect(other.paused('signups')).toBe('global');
      expect(other.version).toBeGreaterThan(before);
      await changeSwitch(deps, { feature: 'signups', off: false, by: 'test' });
      while (other.paused('signups') !== undefined && Date.now() - began < 5_000) await new Promise((r) => setTimeout(r, 10));
      expect(other.paused('signups')).toBeUndefined();
    } finally {
      await other.stop();
    }
  });

  it('keeps the last known state when the database cannot be read, and says so once', async () => {
    let fail = false;
    const pool = { query: (...args: Parameters<typeof t.db.pool.query>) => (fail ? Promise.reject(new Error('connection lost')) : t.db.pool.query(...args)) } as unknown as typeof t.db.pool;
    const other = new SwitchBoard({ pool, logger: t.konpay.logger, everyMs: 10 });
    await changeSwitch(deps, { feature: 'card_topups', off: true, reason: 'db test', by: 'test' });
    await other.refresh();
    fail = true;
    other.start();
    await new Promise((r) => setTimeout(r, 100));
    await other.stop();
    expect(other.paused('card_topups')).toBe('global');
    expect(t.logs.lines.filter((l) => l.includes('kill switches could not be read'))).toHaveLength(1);
    await changeSwitch(deps, { feature: 'card_topups', off: false, by: 'test' });
  });

  it('the server\'s own board obeys its own operator API at once', async () => {
    expect((await putSwitch(t, { feature: 'signups', off: true, reason: 'at once' })).status).toBe(200);
    expect(t.konpay.switches.paused('signups')).toBe('global');
    expect((await putSwitch(t, { feature: 'signups', off: false, reason: '' })).status).toBe(200);
    expect(t.konpay.switches.paused('signups')).toBeUndefined();
  });
});

describe('the operator API', () => {
  it('PUT answers the new state, GET lists the switches and the history, each call recorded', async () => {
    const store = await newStore();
    const put = await putSwitch(t, { feature: 'payments', storeId: store.id, off: true, reason: 'Scanner fault' });
    expect(put).toEqual({ status: 200, json: {
      feature: 'payments', storeId: store.id, storeName: expect.stringMatching(/^Store /), off: true, reason: 'Scanner fault',
      changedBy: 'operator-token', changedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
    } });
    const list = await getSwitches(t);
    expect(list.status).toBe(200);
    const body = list.json as { switches: Record<string, unknown>[]; history: Record<string, unknown>[] };
    expect(body.switches.slice(0, 4).map((s) => [s.feature, s.storeId])).toEqual([['card_topups', null], ['cash_topups', null], ['payments', null], ['signups', null]]);
    for (const s of body.switches) expect(Object.keys(s).sort()).toEqual(['changedAt', 'changedBy', 'feature', 'off', 'reason', 'storeId', 'storeName']);
    expect(body.switches).toContainEqual(put.json);
    expect(body.history[0]).toEqual(put.json);
    expect((await getSwitches(t, '?historyLimit=0')).json.history).toEqual([]);

    expect(auditLines().slice(-3)).toEqual([
      { who: 'operator-token', action: 'switch.off', ids: { feature: 'payments', storeId: store.id }, outcome: 'changed' },
      { who: 'operator-token', action: 'switch.view', ids: {}, outcome: 'ok' },
      { who: 'operator-token', action: 'switch.view', ids: {}, outcome: 'ok' },
    ]);
    expect((await putSwitch(t, { feature: 'payments', storeId: store.id, off: false, reason: 'fixed' })).json).toMatchObject({ off: false, reason: 'fixed' });
  });

  it('refuses with documented codes, and changes nothing', async () => {
    const store = await newStore();
    const before = (await getSwitches(t)).json;
    const cases: [Parameters<typeof putSwitch>[1], number, string][] = [
      [{ feature: 'payments', off: true, reason: '' }, 400, 'switch_reason_required'],
      [{ feature: 'payments', off: true }, 400, 'switch_reason_required'],
      [{ feature: 'card_topups', storeId: store.id, off: true, reason: 'x' }, 400, 'switch_not_store_scoped'],
      [{ feature: 'payments', storeId: `sto_${'0'.repeat(32)}`, off: true, reason: 'x' }, 404, 'store_not_found'],
      [{ feature: 'refunds', off: true, reason: 'x' }, 400, 'validation_failed'],
      [{ feature: 'payments', off: 'yes', reason: 'x' } as never, 400, 'validation_failed'],
    ];
    for (const [body, status, code] of cases) {
      const r = await putSwitch(t, body);
      expect([JSON.stringify(body), r.status, r.json.code]).toEqual([JSON.stringify(body), status, code]);
    }
    const r = await putSwitch(t, { feature: 'payments', off: true, reason: 'x' }, null);
    expect([r.status, r.json.code]).toEqual([401, 'operator_unauthorized']);
    expect((await getSwitches(t)).json).toEqual(before);
  });

  it('documents feature_paused and the switch refusals at /problems', async () => {
    for (const [code, status] of [['feature_paused', 503], ['switch_reason_required', 400], ['switch_not_store_scoped', 400]] as const) {
      const r = await t.konpay.app.inject({ method: 'GET', url: `/problems/${code}` });
      expect([code, r.statusCode, r.json().status]).toEqual([code, 200, status]);
    }
    expect((await t.konpay.app.inject({ method: 'GET', url: '/problems/feature_paused' })).json().title).toMatch(/operations have paused/);
  });
});
