/** Lapsed auth flows are deleted a day after expiry, with their code challenges; live ones stay. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signUp } from '../../test/harness/customer.js';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import { ManualClock } from '../shared/clock.js';
import { fromPublicId } from '../shared/ids.js';
import { FLOW_GRACE_MS, FlowSweeper, INSTALL_RETENTION_MS } from './flow-sweeper.js';
import { recordInstall } from './repo/installs.js';
import { installDigest, newInstallId } from '../shared/install-id.js';

const clock = new ManualClock('2026-11-25T01:00:00Z');
let t: TestKonpay;
beforeAll(async () => { t = await startTestKonpay({}, { worker: false, clock }); });
afterAll(() => t?.stop());

const count = async (table: string) => (await t.konpay.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;

it('deletes flows a day past their expiry with their challenges, and keeps the rest', async () => {
  const who = await signUp(t);
  const uid = fromPublicId('usr', who.userId)!;
  const sweeper = new FlowSweeper({ pool: t.konpay.pool, clock, logger: t.konpay.logger, everyMs: 0 });
  const flows = await count('auth_flows');
  const challenges = await count('otp_challenges');
  expect(flows).toBeGreaterThan(0);
  expect(challenges).toBeGreaterThan(0);
  expect(await sweeper.runOnce()).toBe(0); // nothing has lapsed yet

  // Seven days later every flow of the sign-up (freeze links last 7 days) has expired, plus the grace.
  clock.advance(7 * 86_400_000 + FLOW_GRACE_MS + 1000);
  const fresh = await t.konpay.app.inject({ method: 'POST', url: '/v1/recovery', payload: { identifier: who.email } });
  expect(fresh.statusCode).toBeLessThan(300);
  expect(await sweeper.runOnce()).toBe(flows);
  expect(await count('auth_flows')).toBe(1); // the recovery just started
  expect(await count('otp_challenges')).toBe(await t.konpay.pool.query(`SELECT 1 FROM otp_challenges c JOIN auth_flows f ON f.id = c.flow_id`).then((r) => r.rowCount));
  // The account itself is untouched.
  expect((await t.konpay.pool.query(`SELECT 1 FROM users WHERE id = $1`, [uid])).rowCount).toBe(1);
});

it('forgets which accounts an install signed in once the pair has not been seen for 90 days', async () => {
  const sweeper = new FlowSweeper({ pool: t.konpay.pool, clock, logger: t.konpay.logger, everyMs: 0 });
  const who = await signUp(t);
  await recordInstall(t.konpay.pool, { digest: installDigest(newInstallId()), userId: fromPublicId('usr', who.userId)!, now: clock.now(), signup: false });
  const pairs = () => count('install_accounts');
  expect(await pairs()).toBe(1);
  await sweeper.runOnce();
  clock.advance(INSTALL_RETENTION_MS - 60_000);
  await sweeper.runOnce();
  expect(await pairs()).toBe(1); // seen 90 days ago less a minute: kept
  clock.advance(120_000);
  await sweeper.runOnce();
  expect(await pairs()).toBe(0);
});
