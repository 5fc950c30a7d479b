/**
 * `npm run ops` end to end: the real CLI in a child process against a test server's
 * database and secrets, then signed requests with the credentials it printed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import { PosClient } from '../pos/client.js';
import { cliTargetOf, runOps, type CliRun } from '../../test/harness/cli.js';

let t: TestKonpay;

beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false });
  await t.konpay.listen();
});
afterAll(() => t.stop());

/** Runs `npm run ops -- …` as the operator would, with the test server's configuration. */
function ops(...args: string[]): Promise<CliRun> {
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

    const created = await ops('terminal', 'create', '--store', storeId);
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
});
