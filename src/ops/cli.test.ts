/**
 * `npm run ops` against a test server's database and secrets, then signed requests with
 * the credentials it printed: in-process (`main`), and the terminal's creation through
 * the real entry point in a child process (its printed secret on the process's stdout).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import { PosClient } from '../pos/client.js';
import { fromPublicId } from '../shared/ids.js';
import { cliTargetOf, runOpsInProcess, runOps, type CliRun } from '../../test/harness/cli.js';

let t: TestKonpay;

beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false });
  await t.konpay.listen();
});
afterAll(() => t.stop());

/** Runs `npm run ops -- …` with the test server's configuration, in-process. */
function ops(...args: string[]): Promise<CliRun> {
  return runOpsInProcess(cliTargetOf(t), args);
}

/** The same through `src/ops/cli.ts` in a process of its own. */
function spawned(...args: string[]): Promise<CliRun> {
  return runOps(cliTargetOf(t), args);
}

function grab(out: string, re: RegExp): string {
  const m = re.exec(out);
  if (!m) throw new Error(`no ${re} in:\n${out}`);
  return m[1]!;
}

const credentials = (out: string) => ({
  terminalId: grab(out, /terminal\s+(trm_[0-9a-f]{32})/),
  keyId: grab(out, /Konpay-Key-Id\s+(pk_[0-9a-f]+)/),
  secret: grab(out, /secret\s+(sk_[A-Za-z0-9_-]{43})/),
});

describe('npm run ops', () => {
  it('registers a merchant, store and terminal whose printed secret signs requests; rotates, suspends and revokes it', async () => {
    const merchant = await ops('merchant', 'create', '--name', 'Konbini Mart');
    expect(merchant.status, merchant.stderr).toBe(0);
    const merchantId = grab(merchant.stdout, /(mer_[0-9a-f]{32})/);
    const store = await ops('store', 'create', '--merchant', merchantId, '--name', 'Shibuya Dogenzaka');
    expect(store.status, store.stderr).toBe(0);
    const storeId = grab(store.stdout, /(sto_[0-9a-f]{32})/);

    const created = await spawned('terminal', 'create', '--store', storeId);
    expect(created.status, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/shown only this once/);
    const first = credentials(created.stdout);
    const client = (secret: string) => new PosClient({ baseUrl: t.konpay.url, keyId: first.keyId, secret });

    const signIn = await client(first.secret).request('GET', '/pos/v1/terminal');
    expect(signIn.status, JSON.stringify(signIn.json)).toBe(200);
    expect(signIn.json).toMatchObject({ id: first.terminalId, store: { id: storeId, name: 'Shibuya Dogenzaka' }, merchant: { id: merchantId, name: 'Konbini Mart' } });

    const rotated = await ops('terminal', 'rotate', first.terminalId);
    expect(rotated.status, rotated.stderr).toBe(0);
    const second = credentials(rotated.stdout);
    expect(second.keyId).toBe(first.keyId);
    expect((await client(first.secret).request('GET', '/pos/v1/terminal')).status).toBe(401);
    expect((await client(second.secret).request('GET', '/pos/v1/terminal')).status).toBe(200);

    expect((await ops('store', 'suspend', storeId)).status).toBe(0);
    expect((await client(second.secret).request('GET', '/pos/v1/terminal')).json).toMatchObject({ code: 'pos_store_suspended' });
    expect((await ops('store', 'resume', storeId)).status).toBe(0);
    expect((await client(second.secret).request('GET', '/pos/v1/terminal')).status).toBe(200);

    const revoked = await ops('terminal', 'revoke', first.terminalId);
    expect(revoked.status, revoked.stderr).toBe(0);
    expect((await client(second.secret).request('GET', '/pos/v1/terminal')).json).toMatchObject({ code: 'pos_terminal_revoked' });
    const rotateRevoked = await ops('terminal', 'rotate', first.terminalId);
    expect(rotateRevoked.status).toBe(1);
    expect(rotateRevoked.stdout).not.toMatch(/sk_/);

    for (const s of [first.secret, second.secret]) expect(t.logs.text).not.toContain(s);
  });

  it('refuses unknown ids (1) and bad usage (2) without printing a secret', async () => {
    const unknown = await ops('terminal', 'create', '--store', `sto_${'0'.repeat(32)}`);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/no store/);
    expect(unknown.stdout).toBe('');
    const usage = await ops('terminal', 'create');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/missing --store/);
    expect((await ops('terminal', 'launch')).status).toBe(2);
  });

  it('places a store at creation or later with --lat/--lon, validated, each run in the audit chain', async () => {
    const merchantId = grab((await ops('merchant', 'create', '--name', 'Konbini Mart')).stdout, /(mer_[0-9a-f]{32})/);
    const created = await ops('store', 'create', '--merchant', merchantId, '--name', 'Shibuya', '--lat', '35.6581', '--lon', '139.6975');
    expect(created.status, created.stderr).toBe(0);
    const storeId = grab(created.stdout, /(sto_[0-9a-f]{32})/);
    const where = async () => (await t.konpay.pool.query<{ latitude: number | null; longitude: number | null }>(
      'SELECT latitude, longitude FROM stores WHERE id = $1', [fromPublicId('sto', storeId)],
    )).rows[0];
    expect(await where()).toEqual({ latitude: 35.6581, longitude: 139.6975 });

    // West and south are negative, in the `=` form (a bare `-74.0` reads as an option).
    const moved = await ops('store', 'set-location', storeId, '--lat=-33.8688', '--lon=151.2093');
    expect(moved.status, moved.stderr).toBe(0);
    expect(moved.stdout).toBe(`store ${storeId} located at -33.8688, 151.2093\n`);
    expect(await where()).toEqual({ latitude: -33.8688, longitude: 151.2093 });

    const refusals: [string[], number, RegExp][] = [
      [['store', 'set-location', storeId, '--lat', '91', '--lon', '0'], 2, /--lat: 91 is outside -90…90/],
      [['store', 'set-location', storeId, '--lat', '0', '--lon', '180.5'], 2, /--lon: 180.5 is outside -180…180/],
      [['store', 'set-location', storeId, '--lat', '35,6581', '--lon', '139.6975'], 2, /--lat: not a decimal number/],
      [['store', 'set-location', storeId, '--lat', '1e1', '--lon', '139.6975'], 2, /--lat: not a decimal number/],
      [['store', 'set-location', storeId, '--lat', 'NaN', '--lon', 'Infinity'], 2, /--lat: not a decimal number/],
      [['store', 'set-location', storeId, '--lat', '35.6581'], 2, /missing --lon/],
      [['store', 'set-location', storeId, '--lat', '35.6', '--lon', '-74.0'], 2, /--lon=-XYZ/],
      [['store', 'set-location', '--lat', '35.6', '--lon', '139.7'], 2, /usage: store set-location/],
      [['store', 'create', '--merchant', merchantId, '--name', 'Nowhere', '--lat', '35.6'], 2, /both --lat and --lon/],
      [['store', 'set-location', `sto_${'0'.repeat(32)}`, '--lat', '35.6', '--lon', '139.7'], 1, /no store/],
    ];
    for (const [args, status, message] of refusals) {
      const r = await ops(...args);
      expect([args.join(' '), r.status]).toEqual([args.join(' '), status]);
      expect(r.stderr).toMatch(message);
    }
    expect(await where()).toEqual({ latitude: -33.8688, longitude: 151.2093 });
    expect((await t.konpay.pool.query('SELECT 1 FROM stores WHERE name = $1', ['Nowhere'])).rowCount).toBe(0);

    // Audited as every CLI action: who, the store's id, and how it ended; the chain still verifies.
    const rows = (await t.konpay.pool.query<{ who: string; ids: Record<string, string>; outcome: string }>(
      `SELECT who, ids, outcome FROM audit_log WHERE action = 'cli.store.set-location' ORDER BY seq`,
    )).rows;
    expect(rows[0]).toMatchObject({ who: expect.stringMatching(/^cli/), ids: { arg1: storeId }, outcome: 'done' });
    expect(rows.map((r) => r.outcome)).toEqual(['done', 'usage', 'usage', 'usage', 'usage', 'usage', 'refused']);
    expect((await ops('audit', 'verify')).status).toBe(0);
  });
});
