/**
 * `npm run ops -- accounts limits` (OPS-2): a lowering applies at once, a raise becomes a
 * request by `cli:<user>` that a console operator approves; both are in the audit chain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliTargetOf, runOpsInProcess, type CliRun } from '../../test/harness/cli.js';
import { bearer, signUp, type SignedUp } from '../../test/harness/customer.js';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import { consoleRequest, newOperator, signInOperator } from '../../test/harness/operators.js';
import { recordsAfter } from './audit/repo.js';
import { cliWho } from './audit/cli-record.js';

let t: TestKonpay;
beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false });
});
afterAll(() => t?.stop());

const ops = (...args: string[]): Promise<CliRun> => runOpsInProcess(cliTargetOf(t), args);
const limitsOf = async (who: SignedUp) =>
  ((await t.konpay.app.inject({ method: 'GET', url: '/v1/wallet', headers: bearer(who.token) })).json() as { limits: { balanceMax: number; payment: { per24h: number } } }).limits;

describe('npm run ops -- accounts limits', () => {
  it('lowers at once; a raise waits for a console operator, who approves it', async () => {
    const who = await signUp(t);
    const low = await ops('accounts', 'limits', who.userId, '--payment-24h', '2000', '--reason', 'Customer asked for a cap');
    expect(low.status, low.stderr).toBe(0);
    expect(low.stdout).toContain('payments ¥2000/24 h');
    expect((await limitsOf(who)).payment.per24h).toBe(2000);

    const high = await ops('accounts', 'limits', who.userId, '--balance-max', '120000', '--payment-24h', 'default', '--reason', 'Ticket 99');
    expect(high.status, high.stderr).toBe(0);
    const id = /request (apr_[0-9a-f]{32}) is pending/.exec(high.stdout)?.[1];
    expect(id, high.stdout).toBeDefined();
    expect(await limitsOf(who)).toMatchObject({ balanceMax: 100_000, payment: { per24h: 2000 } });

    const admin = await signInOperator(t, await newOperator(t, 'admin', 'Mori Aoi'));
    const ok = await consoleRequest(t, admin, 'POST', `/ops/v1/approvals/${id}/approve`, {});
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
    expect(await limitsOf(who)).toMatchObject({ balanceMax: 120_000, payment: { per24h: 100_000 } });

    const rows = (await recordsAfter(t.konpay.pool, 0, 100_000)).filter((r) => r.ids['customerId'] === who.userId);
    expect(rows.map((r) => [r.who === cliWho() ? 'cli' : 'console', r.action, r.outcome])).toEqual([
      ['cli', 'customer.limits', 'changed'],
      ['cli', 'approval.request', 'pending'],
      ['cli', 'customer.limits', 'approval_requested'],
      ['console', 'customer.limits', 'changed'],
      ['console', 'approval.approve', 'approved'],
    ]);
  });

  it('refuses bad values and a missing limit (exit 2), and says when the customer does not exist (exit 1)', async () => {
    const who = await signUp(t);
    expect((await ops('accounts', 'limits', who.userId, '--reason', 'Ticket 1')).status).toBe(2);
    expect((await ops('accounts', 'limits', who.userId, '--balance-max', '-5', '--reason', 'Ticket 1')).status).toBe(2);
    expect((await ops('accounts', 'limits', who.userId, '--balance-max', '1.5', '--reason', 'Ticket 1')).status).toBe(2);
    expect((await ops('accounts', 'limits', `usr_${'0'.repeat(32)}`, '--balance-max', '5', '--reason', 'Ticket 1')).status).toBe(1);
  });
});
