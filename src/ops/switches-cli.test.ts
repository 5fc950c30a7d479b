/**
 * `npm run ops -- switches …` against a test server's database (in-process, and switching
 * off through the real entry point in a child process), and the running server obeying
 * what it switched (its board polls).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import { merchantDeps } from '../../test/harness/pos.js';
import { createMerchant, createStore } from '../merchants/service.js';
import { fromPublicId } from '../shared/ids.js';
import { cliTargetOf, runOpsInProcess, runOps, type CliRun } from '../../test/harness/cli.js';

let t: TestKonpay;

beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false });
});
afterAll(() => t?.stop());

function ops(...args: string[]): Promise<CliRun> {
  return runOpsInProcess(cliTargetOf(t), args);
}

/** The server's board polls every 500 ms; generous on a loaded machine (the 2 s bound is test/e2e/kill-switch.test.ts's). */
async function eventually(check: () => boolean): Promise<boolean> {
  for (const began = Date.now(); Date.now() - began < 10_000;) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}

describe('npm run ops -- switches', () => {
  it('lists, switches a store off and on again; the running server obeys; every change is in the history', async () => {
    const m = await createMerchant(merchantDeps(t), { name: 'Konbini Mart' });
    const s = await createStore(merchantDeps(t), { merchantId: m.id, name: 'Shibuya Dogenzaka' });
    if (s.kind !== 'created') throw new Error('no store');
    const storeUuid = fromPublicId('sto', s.id)!;

    const list = await ops('switches', 'list');
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout.trim().split('\n').map((l) => l.split(/\s+/).slice(0, 4).join(' '))).toEqual([
      'card_topups all stores on', 'cash_topups all stores on', 'payments all stores on', 'signups all stores on',
    ]);

    const off = await runOps(cliTargetOf(t), ['switches', 'off', 'payments', '--store', s.id, '--reason', 'Scanner fault at the store']); // the real entry point
    expect(off.status, off.stderr).toBe(0);
    expect(off.stdout).toMatch(new RegExp(`payments\\s+${s.id} \\(Shibuya Dogenzaka\\)\\s+OFF .* by cli:.*“Scanner fault at the store”`));
    expect(await eventually(() => t.konpay.switches.paused('payments', storeUuid) === 'store')).toBe(true);
    expect(t.konpay.switches.paused('payments')).toBeUndefined();

    const on = await ops('switches', 'on', 'payments', '--store', s.id, '--reason', 'Scanner replaced');
    expect(on.status, on.stderr).toBe(0);
    expect(await eventually(() => t.konpay.switches.paused('payments', storeUuid) === undefined)).toBe(true);

    const after = await ops('switches', 'list');
    expect(after.stdout).toMatch(/latest changes:\n.*payments .*on .*“Scanner replaced”\n.*payments .*OFF .*“Scanner fault at the store”/);
  }, 120_000);

  it('refuses a missing reason or a store for a storeless feature (1), and bad usage (2), changing nothing', async () => {
    const refusals: [string[], number, RegExp][] = [
      [['switches', 'off', 'signups'], 1, /--reason/],
      [['switches', 'off', 'card_topups', '--store', `sto_${'1'.repeat(32)}`, '--reason', 'x'], 1, /every store/],
      [['switches', 'off', 'refunds', '--reason', 'x'], 2, /unknown feature refunds/],
      [['switches', 'off'], 2, /usage: switches off/],
    ];
    for (const [args, status, message] of refusals) {
      const r = await ops(...args);
      expect([args.join(' '), r.status, r.stdout]).toEqual([args.join(' '), status, '']);
      expect(r.stderr).toMatch(message);
    }
    const history = await t.konpay.pool.query('SELECT count(*)::int AS n FROM feature_switch_changes WHERE off');
    expect(history.rows[0]).toEqual({ n: 1 }); // the first test's only
  }, 120_000);
});
