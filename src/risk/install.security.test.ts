/**
 * Attacks from one browser or app install with many accounts (RISK-1), with the engine's
 * default thresholds and every request from a different client address, as through a
 * carrier's NAT or a pool of proxies: the per-address rules never see two of them, the
 * install id does. A browser here is a cookie jar; an app is its `Konpay-Install` header.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestCode, newCustomer } from '../../test/harness/customer.js';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import { sha256 } from '../shared/crypto.js';
import { fromPublicId } from '../shared/ids.js';
import { newInstallId } from '../shared/install-id.js';

let t: TestKonpay;
beforeAll(async () => { t = await startTestKonpay({ RISK_POLICY: '{}' }, { worker: false }); });
afterAll(() => t?.stop());

let hosts = 0;
/** A client address never used before in this file. */
const freshIp = () => { hosts++; return `198.51.${100 + Math.floor(hosts / 250)}.${1 + (hosts % 250)}`; };

/** A browser: keeps what the server sets, sends it back (paths and expiry aside). */
class Browser {
  readonly cookies = new Map<string, string>();
  /** The latest Set-Cookie of each name, with its attributes. */
  readonly set = new Map<string, LightMyRequestResponse['cookies'][number]>();
  async call(method: 'GET' | 'POST', url: string, payload?: object, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await t.konpay.app.inject({
      method, url, remoteAddress: freshIp(), ...(payload ? { payload } : {}), headers: { ...headers, ...(cookie ? { cookie } : {}) },
    });
    for (const c of res.cookies) {
      this.set.set(c.name, c);
      if (c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }
}

type Made = { email: string; password: string; phoneE164: string; uid: string; deviceCredential?: string };

/** A sign-up as the wallet (cookie jar) or the app (bearer, optional install header) makes it; the account or the refusal. */
async function signUp(via: Browser | { install?: string }): Promise<Made | { refused: LightMyRequestResponse }> {
  const who = newCustomer('inst');
  const browser = via instanceof Browser ? via : undefined;
  const install = via instanceof Browser ? undefined : via.install;
  const headers: Record<string, string> = install ? { 'konpay-install': install } : {};
  const call = (url: string, payload: object) => (browser ? browser.call('POST', url, payload) : t.konpay.app.inject({ method: 'POST', url, payload, headers, remoteAddress: freshIp() }));
  const start = await call('/v1/signup', { email: who.email, phone: who.phone, password: who.password, locale: 'en' });
  expect(start.statusCode, start.body).toBe(202);
  const { flowId } = start.json() as { flowId: string };
  const done = await call(`/v1/signup/${flowId}/verify`, {
    emailCode: await latestCode(t, who.email), smsCode: await latestCode(t, who.phoneE164), deviceLabel: 'Phone', transport: browser ? 'cookie' : 'bearer',
  });
  if (done.statusCode !== 201) return { refused: done };
  const body = done.json() as { userId: string; deviceCredential?: string };
  return { ...who, uid: fromPublicId('usr', body.userId)!, ...(body.deviceCredential ? { deviceCredential: body.deviceCredential } : {}) };
}

async function account(via: Browser | { install?: string }): Promise<Made> {
  const a = await signUp(via);
  if ('refused' in a) throw new Error(`sign-up refused: ${a.refused.body}`);
  return a;
}

const decisions = async (action: string) => (await t.konpay.pool.query<{ outcome: string; reasons: string[] }>(
  `SELECT outcome, reasons FROM risk_decisions WHERE action = $1 ORDER BY created_at, id`, [action])).rows;
const lastDecision = async (action: string) => (await decisions(action)).at(-1);

/** A password login from the app, on a phone it signed in on before; a new address every time. */
const appLogin = (a: Made, install: string | undefined) => t.konpay.app.inject({
  method: 'POST', url: '/v1/login', remoteAddress: freshIp(),
  headers: { 'x-konpay-device': a.deviceCredential!, ...(install !== undefined ? { 'konpay-install': install } : {}) },
  payload: { identifier: a.email, password: a.password, transport: 'bearer' },
});

describe('attack: many accounts from one browser or app install, each request from another address', () => {
  it('refuses the fourth sign-up from one browser within a day (coupon farming); no account is made', async () => {
    const farm = new Browser();
    const made = [await account(farm), await account(farm), await account(farm)];
    const install = farm.cookies.get('konpay_install');
    expect(install).toMatch(/^kpi_[A-Za-z0-9_-]{22}$/);

    const fourth = await signUp(farm);
    expect('refused' in fourth && fourth.refused.statusCode).toBe(403);
    expect('refused' in fourth && fourth.refused.json()).toMatchObject({ code: 'risk_declined' });
    // The customer's answer never names the rule; the log does. No address rule fired.
    expect('refused' in fourth && fourth.refused.body).not.toContain('install');
    expect((await decisions('signup')).map((d) => d.outcome)).toEqual(['allow', 'allow', 'allow', 'deny']);
    expect(await lastDecision('signup')).toEqual({ outcome: 'deny', reasons: ['install_farming'] });
    const users = await t.konpay.pool.query(`SELECT count(*)::int AS n FROM users WHERE id = ANY($1::uuid[])`, [made.map((m) => m.uid)]);
    expect(users.rows[0].n).toBe(3);
    expect((await t.konpay.pool.query(`SELECT count(*)::int AS n FROM users WHERE email LIKE 'inst%'`)).rows[0].n).toBe(3);

    // The same browser's own customer signing in again, on the phone it knows: a second factor first.
    const last = made[2]!;
    const login = await farm.call('POST', '/v1/login', { identifier: last.email, password: last.password, transport: 'cookie' });
    expect(login.statusCode, login.body).toBe(202);
    expect(await lastDecision('login')).toEqual({ outcome: 'step_up', reasons: ['shared_install'] });

    // Another browser is not affected.
    expect('uid' in (await signUp(new Browser()))).toBe(true);
  });

  it('sets the install cookie HttpOnly, Lax, for the API only, and keeps only its digest, never logged', async () => {
    const b = new Browser();
    await account(b);
    const install = b.cookies.get('konpay_install')!;
    expect(b.set.get('konpay_install')).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/v1', maxAge: 400 * 86_400 });
    // Set again (same value, fresh lifetime) with every cookie session of that browser.
    const a = await account(b);
    expect(b.cookies.get('konpay_install')).toBe(install);
    expect((await b.call('POST', '/v1/login', { identifier: a.email, password: a.password, transport: 'cookie' })).statusCode).toBe(200);
    expect(b.set.get('konpay_install')?.value).toBe(install);

    expect((await t.konpay.pool.query(`SELECT 1 FROM install_accounts WHERE install_hash = $1`, [sha256(install)])).rowCount).toBe(2);
    const stored = await t.konpay.pool.query<{ hit: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM risk_decisions WHERE signals::text LIKE '%' || $1 || '%')
           OR EXISTS (SELECT 1 FROM sessions WHERE user_agent LIKE '%' || $1 || '%') AS hit`, [install.slice(4)]);
    expect(stored.rows[0]!.hit).toBe(false);
    expect(t.logs.text).not.toContain(install.slice(4));
  });

  it('asks a second factor when a third account signs in on one app install, even on known phones', async () => {
    const [a, b, c] = [await account({}), await account({}), await account({})];
    const install = newInstallId();
    expect((await appLogin(a!, install)).statusCode).toBe(200);
    expect((await appLogin(b!, install)).statusCode).toBe(200);
    const third = await appLogin(c!, install);
    expect(third.statusCode, third.body).toBe(202);
    expect(await lastDecision('login')).toEqual({ outcome: 'step_up', reasons: ['shared_install'] });
    // Passing the SMS code signs in on the same phone: no new device, no restricted mode.
    const done = await finishWithSms(third, c!.phoneE164, install);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ restrictedUntil: null });
    expect((await t.konpay.pool.query(`SELECT count(*)::int AS n FROM devices WHERE user_id = $1`, [c!.uid])).rows[0].n).toBe(1);
    // Now the first account on that install is asked too; on its own install (or none) it is not.
    expect((await appLogin(a!, install)).statusCode).toBe(202);
    expect((await appLogin(a!, newInstallId())).statusCode).toBe(200);
    expect((await appLogin(a!, undefined)).statusCode).toBe(200);
  });

  it('refuses a malformed Konpay-Install header with 400 install_id_invalid, before anything is checked or written', async () => {
    const a = await account({});
    const sessions = async () => (await t.konpay.pool.query(`SELECT count(*)::int AS n FROM sessions WHERE user_id = $1`, [a.uid])).rows[0].n as number;
    const before = { sessions: await sessions(), logins: (await decisions('login')).length };
    for (const bad of ['', 'kpi_short', `kpi_${'A'.repeat(21)}!`, `xyz_${'A'.repeat(22)}`, `kpi_${'A'.repeat(23)}`, `${newInstallId()}, ${newInstallId()}`]) {
      const res = await appLogin(a, bad);
      expect(res.statusCode, bad).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ status: 400, code: 'install_id_invalid' });
      expect(res.body).not.toContain('kpi_A');
    }
    expect(await sessions()).toBe(before.sessions);
    expect((await decisions('login')).length).toBe(before.logins);
    // A sign-up too: the flow stays where it was.
    const who = newCustomer('inst');
    const start = await t.konpay.app.inject({ method: 'POST', url: '/v1/signup', remoteAddress: freshIp(), headers: { 'konpay-install': 'garbage' }, payload: { email: who.email, phone: who.phone, password: who.password, locale: 'en' } });
    expect(start.json()).toMatchObject({ code: 'install_id_invalid' });
    // A malformed cookie (the browser cannot fix it) is replaced, not refused.
    const b = new Browser();
    b.cookies.set('konpay_install', 'tampered');
    await account(b);
    expect(b.cookies.get('konpay_install')).toMatch(/^kpi_[A-Za-z0-9_-]{22}$/);
  });

  it('grants nothing for someone else\'s install id: no session, no known device, no account', async () => {
    const victim = new Browser();
    const owner = await account(victim);
    const stolen = victim.cookies.get('konpay_install')!;
    // As a cookie or as the header, alone it is nobody.
    for (const headers of [{ cookie: `konpay_install=${stolen}` }, { 'konpay-install': stolen }]) {
      const me = await t.konpay.app.inject({ method: 'GET', url: '/v1/me', remoteAddress: freshIp(), headers });
      expect(me.statusCode).toBe(401);
      expect(me.json()).toMatchObject({ code: 'unauthenticated' });
      // The owner's password from "their" install but another phone still needs the second factor...
      const login = await t.konpay.app.inject({ method: 'POST', url: '/v1/login', remoteAddress: freshIp(), headers, payload: { identifier: owner.email, password: owner.password, transport: 'bearer' } });
      expect(login.statusCode, login.body).toBe(202);
      // ...and a wrong password is just wrong.
      const wrong = await t.konpay.app.inject({ method: 'POST', url: '/v1/login', remoteAddress: freshIp(), headers, payload: { identifier: owner.email, password: 'guessing wrongly 2026', transport: 'bearer' } });
      expect(wrong.statusCode).toBe(401);
    }
    // It does count against the install, which only ever asks more of whoever uses it.
    const intruder = await account({ install: stolen });
    expect((await t.konpay.pool.query(`SELECT count(*)::int AS n FROM install_accounts WHERE install_hash = $1`, [sha256(stolen)])).rows[0].n).toBe(2);
    expect(intruder.uid).not.toBe(owner.uid);
  });
});

/** Ends a login flow started by `started` (202) with the SMS code sent to `phone`. */
async function finishWithSms(started: LightMyRequestResponse, phone: string, install: string): Promise<LightMyRequestResponse> {
  const { flowId } = started.json() as { flowId: string };
  const headers = { 'konpay-install': install };
  expect((await t.konpay.app.inject({ method: 'POST', url: `/v1/login/${flowId}/sms`, remoteAddress: freshIp(), headers })).statusCode).toBe(202);
  const code = await latestCode(t, phone, 'sms');
  return t.konpay.app.inject({ method: 'POST', url: `/v1/login/${flowId}/verify`, remoteAddress: freshIp(), headers, payload: { method: 'sms', code, deviceLabel: 'Phone', transport: 'bearer' } });
}
