/**
 * Passkey sign-in under the risk engine (RISK-1, ID-11). A user-verified passkey is the
 * strongest second factor there is, so it answers a step-up itself: the sign-in goes on,
 * the decision log says the step-up was settled, and the session counts as second-factor
 * verified. A step-up is asked here from an address two accounts use
 * (`accountsOnDeviceStepUp: 2`): 127.0.0.1, where every sign-up of this file happens;
 * HOME is the customer's alone. A refusal is forced (test/harness/risk.ts says why).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, signUp } from '../../../test/harness/customer.js';
import { addPasskey, api, passkeyLoginOptions } from '../../../test/harness/factors.js';
import { riskPolicyEnv, startTestKonpay, type TestKonpay } from '../../../test/harness/konpay.js';
import { forceRiskOutcome } from '../../../test/harness/risk.js';
import { ManualClock } from '../../shared/clock.js';
import { fromPublicId } from '../../shared/ids.js';

const HOME = '192.0.2.71';
let t: TestKonpay;
let call: ReturnType<typeof api>;
const clock = new ManualClock('2026-02-01T00:00:05Z');
beforeAll(async () => {
  t = await startTestKonpay(riskPolicyEnv({ accountsOnDeviceStepUp: 2 }), { worker: false, clock });
  call = api(t);
  await signUp(t); // a second account at 127.0.0.1 for every test's customer
});
afterAll(() => t?.stop());

/** A passkey sign-in as the browser at `ip` makes it. */
async function passkeyLogin(authr: Awaited<ReturnType<typeof addPasskey>>, ip: string, headers: Record<string, string> = {}) {
  const { flowId, options } = await passkeyLoginOptions(t);
  const res = await t.konpay.app.inject({
    method: 'POST', url: '/v1/login/passkey/verify', remoteAddress: ip, headers,
    payload: { flowId, response: authr.authenticate(options), deviceLabel: 'Laptop' },
  });
  return { flowId, options, res };
}

const logged = async (userId: string) => (await t.konpay.pool.query<{ outcome: string; reasons: string[]; stepped: boolean }>(
  `SELECT outcome, reasons, (signals->>'steppedUp')::boolean AS stepped FROM risk_decisions
    WHERE user_id = $1 AND action = 'login' ORDER BY created_at, id`, [fromPublicId('usr', userId)])).rows;
const secondFactorAt = async (token: string) => {
  const me = (await call('GET', '/v1/me/sessions', undefined, bearer(token))).json() as { sessions: { id: string; current: boolean }[] };
  const id = fromPublicId('ses', me.sessions.find((s) => s.current)!.id);
  return (await t.konpay.pool.query<{ at: Date | null }>(`SELECT second_factor_at AS at FROM sessions WHERE id = $1`, [id])).rows[0]!.at;
};

describe('passkey sign-in asks the risk engine', () => {
  it('a step-up is answered by the passkey itself: signed in, logged as stepped up, the session second-factor verified', async () => {
    const who = await signUp(t);
    const authr = await addPasskey(t, who);
    const { res } = await passkeyLogin(authr, '127.0.0.1', { 'x-konpay-device': who.deviceCredential });
    expect(res.statusCode, res.body).toBe(200);
    const token = (res.json() as { session: { token: string } }).session.token;
    expect(await logged(who.userId)).toEqual([{ outcome: 'allow', reasons: ['shared_device'], stepped: true }]);
    expect(await secondFactorAt(token)).toEqual(clock.now());
  });

  it('control: from the customer\'s own address nothing is asked, and a new device is signed in as before', async () => {
    const who = await signUp(t);
    const authr = await addPasskey(t, who);
    const { res } = await passkeyLogin(authr, HOME);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'authenticated', userId: who.userId, restrictedUntil: null });
    expect(await logged(who.userId)).toEqual([{ outcome: 'allow', reasons: [], stepped: false }]);
    // A passkey is a second factor whatever the engine asked: the session says so, as after a password and a code.
    expect(await secondFactorAt((res.json() as { session: { token: string } }).session.token)).toEqual(clock.now());
  });

  for (const refusal of ['deny', 'hold'] as const) {
    it(`a ${refusal} refuses the sign-in with risk_declined: no session, no device, the challenge spent`, async () => {
      const who = await signUp(t);
      const authr = await addPasskey(t, who);
      const uid = fromPublicId('usr', who.userId);
      const count = async (table: 'sessions' | 'devices') => (await t.konpay.pool.query(`SELECT count(*)::int AS n FROM ${table} WHERE user_id = $1`, [uid])).rows[0].n as number;
      const before = { sessions: await count('sessions'), devices: await count('devices') };
      const forced = forceRiskOutcome(t, refusal);
      try {
        const { flowId, options, res } = await passkeyLogin(authr, HOME);
        expect(res.statusCode).toBe(403);
        expect(res.json()).toMatchObject({ code: 'risk_declined' });
        expect(res.body).not.toMatch(/shared_device|kps_/);
        expect({ sessions: await count('sessions'), devices: await count('devices') }).toEqual(before);
        const again = await call('POST', '/v1/login/passkey/verify', { flowId, response: authr.authenticate(options) });
        expect(again.json()).toMatchObject({ code: 'flow_not_found' });
      } finally {
        forced.mockRestore();
      }
    });
  }
});
