/**
 * `npm run ops -- operators …` against a test server's database and secrets (in-process,
 * and the first operator added through the real entry point in a child process); the
 * printed password and TOTP URI sign in to the console.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../test/harness/factors.js';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import { secretOfUri, signInRequest } from '../../test/harness/operators.js';
import { cliTargetOf, runOpsInProcess, runOps, type CliRun } from '../../test/harness/cli.js';

let t: TestKonpay;

beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false });
});
afterAll(() => t.stop());

const target = () => cliTargetOf(t, { ARGON2_MEMORY_KIB: '1024', ARGON2_ITERATIONS: '1' });
const ops = (...args: string[]): Promise<CliRun> => runOpsInProcess(target(), args);

describe('npm run ops -- operators', () => {
  it('adds an operator whose printed password and TOTP URI sign in; lists and disables them', async () => {
    const added = await runOps(target(), ['operators', 'add', '--email', 'Kato@Konpay.example', '--name', 'Kato Ren', '--role', 'support']); // the real entry point
    expect(added.status, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/operator opr_[0-9a-f]{32} \(kato@konpay\.example, support\) created/);
    expect(added.stdout).toMatch(/shown only this once/);
    const password = /password\s+(\S+)/.exec(added.stdout)![1]!;
    const uri = /TOTP\s+(otpauth:\/\/\S+)/.exec(added.stdout)![1]!;
    expect(password).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
    expect(uri).toMatch(/^otpauth:\/\/totp\/Konpay%20Operations:kato%40konpay\.example\?/);
    const secret = secretOfUri(uri);

    const signedIn = await signInRequest(t, { email: 'kato@konpay.example', password, code: await totpCode(secret, new Date()) });
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    expect(signedIn.json()).toMatchObject({ operator: { name: 'Kato Ren', role: 'support' } });

    const listed = await ops('operators', 'list');
    expect(listed.stdout).toContain('kato@konpay.example\tsupport\tactive\tKato Ren');
    expect(listed.stdout).not.toContain(password);

    const again = await ops('operators', 'add', '--email', 'kato@konpay.example', '--name', 'Kato Ren', '--role', 'admin');
    expect(again.status).toBe(1);
    expect(again.stdout).toBe('');

    const disabled = await ops('operators', 'disable', 'kato@konpay.example');
    expect(disabled.status, disabled.stderr).toBe(0);
    const cookie = signedIn.cookies.find((c) => c.name === 'konpay_ops')!.value;
    expect((await t.konpay.app.inject({ method: 'GET', url: '/ops/v1/session', cookies: { konpay_ops: cookie } })).statusCode).toBe(401);
    expect((await ops('operators', 'list')).stdout).toContain('kato@konpay.example\tsupport\tdisabled');
  });

  it('refuses a bad role or address (2) and an unknown operator (1), printing no secret', async () => {
    const role = await ops('operators', 'add', '--email', 'x@konpay.example', '--name', 'X', '--role', 'root');
    expect(role.status).toBe(2);
    expect(role.stderr).toMatch(/--role must be one of support, risk, admin/);
    const email = await ops('operators', 'add', '--email', 'not-an-address', '--name', 'X', '--role', 'risk');
    expect(email.status).toBe(2);
    expect((await ops('operators', 'disable', 'nobody@konpay.example')).status).toBe(1);
    for (const r of [role, email]) expect(r.stdout).not.toMatch(/otpauth|password/);
  });
});
