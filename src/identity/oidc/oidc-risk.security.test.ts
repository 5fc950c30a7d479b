/**
 * External ID sign-in under the risk engine (RISK-1, ID-12): a linked identity is one
 * factor, like a right password, and is judged like one. Here a second factor is asked
 * at sign-in from an address two accounts use (`accountsOnDeviceStepUp: 2`): the owner's
 * usual address is theirs alone, 127.0.0.1 (where every sign-up of this file happens)
 * is shared. A refusal is forced on the real engine (test/harness/risk.ts says why).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestCode, signUp, type SignedUp } from '../../../test/harness/customer.js';
import { riskPolicyEnv } from '../../../test/harness/konpay.js';
import { Browser, deliver, outcome, PROVIDER, signInWith, startOidcPair, type OidcPair } from '../../../test/harness/oidc.js';
import { forceRiskOutcome } from '../../../test/harness/risk.js';
import { fromPublicId } from '../../shared/ids.js';

const HOME = '192.0.2.61';
const SUB = 'sub-risk-owner';
let p: OidcPair;
let owner: SignedUp;
beforeAll(async () => {
  p = await startOidcPair({ worker: false }, riskPolicyEnv({ accountsOnDeviceStepUp: 2 }));
  owner = await signUp(p.t);
  await signUp(p.t); // a second account at 127.0.0.1
  p.op.accounts.set(SUB, { sub: SUB, email: 'risk-owner@provider.example', emailVerified: true });
  // Link from home: password sign-in on the owner's phone (a fresh, privileged session), then the provider.
  const b = ownerPhone(HOME);
  expect((await b.request('POST', '/v1/login', {}, { identifier: owner.email, password: owner.password, transport: 'cookie' })).statusCode).toBe(200);
  const started = await b.write('POST', `/v1/me/external-identities/${PROVIDER}`);
  const callback = await p.op.authorize((started.json() as { authorizationUrl: string }).authorizationUrl, SUB);
  expect(outcome(await deliver(b, callback))).toMatchObject({ oidc: 'linked' });
});
afterAll(() => p?.stop());

function ownerPhone(ip?: string): Browser {
  const b = new Browser(p.t, ip);
  b.cookies.set('konpay_device', owner.deviceCredential);
  return b;
}

const lastLogin = async () => (await p.t.konpay.pool.query<{ outcome: string; reasons: string[] }>(
  `SELECT outcome, reasons FROM risk_decisions WHERE user_id = $1 AND action = 'login' ORDER BY created_at DESC, id DESC LIMIT 1`,
  [fromPublicId('usr', owner.userId)])).rows[0];

describe('external ID sign-in asks the risk engine', () => {
  it('control: on the owner\'s phone at home it opens a session, and the decision is logged', async () => {
    const b = ownerPhone(HOME);
    const res = await signInWith(p, b, SUB);
    expect(res.headers.location).toBe('/app/');
    expect(b.cookies.has('konpay_session')).toBe(true);
    expect(await lastLogin()).toEqual({ outcome: 'allow', reasons: [] });
  });

  it('a step-up sends even the owner\'s phone through the second factor, and keeps the phone', async () => {
    const b = ownerPhone();
    const o = outcome(await signInWith(p, b, SUB));
    expect(o).toMatchObject({ path: '/app/login', oidc: 'second_factor' });
    expect(b.cookies.has('konpay_session')).toBe(false);
    expect(await lastLogin()).toEqual({ outcome: 'step_up', reasons: ['shared_device'] });

    expect((await b.request('POST', `/v1/login/${o['flow']}/sms`)).statusCode).toBe(202);
    const code = await latestCode(p.t, owner.phoneE164, 'sms');
    const done = await b.request('POST', `/v1/login/${o['flow']}/verify`, {}, { method: 'sms', code, deviceLabel: 'Other', transport: 'cookie' });
    expect(done.statusCode, done.body).toBe(200);
    // The same phone: no new device row, no restricted mode.
    expect(done.json()).toMatchObject({ status: 'authenticated', userId: owner.userId, restrictedUntil: null });
    const devices = await p.t.konpay.pool.query(`SELECT label FROM devices WHERE user_id = $1`, [fromPublicId('usr', owner.userId)]);
    expect(devices.rows).toEqual([{ label: 'Test phone' }]);
  });

  it('on a new device a step-up changes nothing: the second factor was due anyway, and the device is new', async () => {
    const b = new Browser(p.t);
    const o = outcome(await signInWith(p, b, SUB));
    expect(o).toMatchObject({ oidc: 'second_factor' });
    expect(await lastLogin()).toEqual({ outcome: 'step_up', reasons: ['shared_device'] });
    expect((await b.request('POST', `/v1/login/${o['flow']}/sms`)).statusCode).toBe(202);
    const code = await latestCode(p.t, owner.phoneE164, 'sms');
    const done = await b.request('POST', `/v1/login/${o['flow']}/verify`, {}, { method: 'sms', code, deviceLabel: 'Laptop', transport: 'cookie' });
    expect(done.statusCode, done.body).toBe(200);
    expect((done.json() as { restrictedUntil: string | null }).restrictedUntil).not.toBeNull();
    const devices = await p.t.konpay.pool.query(`SELECT label FROM devices WHERE user_id = $1 ORDER BY created_at`, [fromPublicId('usr', owner.userId)]);
    expect(devices.rows).toEqual([{ label: 'Test phone' }, { label: 'Laptop' }]);
  });

  for (const refusal of ['deny', 'hold'] as const) {
    it(`a ${refusal} refuses the sign-in with risk_declined, naming no rule, and opens no session`, async () => {
      const forced = forceRiskOutcome(p.t, refusal);
      try {
        const b = ownerPhone(HOME);
        const res = await signInWith(p, b, SUB);
        expect(outcome(res)).toEqual({ path: '/app/login', oidc: 'error', code: 'risk_declined' });
        expect(b.cookies.has('konpay_session')).toBe(false);
        expect(forced).toHaveBeenCalledTimes(1);
      } finally {
        forced.mockRestore();
      }
    });
  }
});
