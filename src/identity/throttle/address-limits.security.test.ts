/**
 * Attacks on endpoints anyone may call, which cost the server something each time before
 * any credential is checked: starting an external ID sign-in writes a flow row (and may
 * ask the provider), and a proof-of-work challenge costs a key derivation. Each has a
 * budget per client address (IPv4 address, IPv6 /64); past it, 429 with Retry-After.
 * Budgets of 3 here (the defaults are 60 an hour and 30 a minute).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER, startOidcPair, type OidcPair } from '../../../test/harness/oidc.js';
import { CHEAP_POW_ENV } from '../../../test/harness/throttle.js';
import { ManualClock } from '../../shared/clock.js';

let p: OidcPair;
const clock = new ManualClock(new Date());
beforeAll(async () => {
  p = await startOidcPair({ worker: false, clock }, { ...CHEAP_POW_ENV, OIDC_STARTS_PER_IP_PER_HOUR: '3', LOGIN_CHALLENGES_PER_IP_PER_MINUTE: '3' });
});
afterAll(() => p?.stop());

const get = (url: string, ip: string) => p.t.konpay.app.inject({ method: 'GET', url, remoteAddress: ip });
const start = (ip: string) => get(`/v1/oidc/${PROVIDER}/start`, ip);
const challenge = (ip: string) => get('/v1/login/challenge', ip);
const oidcFlows = async () => (await p.t.konpay.pool.query(`SELECT count(*)::int AS n FROM auth_flows WHERE kind = 'oidc'`)).rows[0].n as number;

describe('attack: flooding external ID sign-in starts from one address to fill the flows table', () => {
  it('writes at most the hourly budget of flow rows per address, then answers 429 with Retry-After', async () => {
    const ip = '203.0.113.80';
    const before = await oidcFlows();
    for (let i = 0; i < 3; i++) expect((await start(ip)).statusCode).toBe(302);
    for (let i = 0; i < 20; i++) {
      const refused = await start(ip);
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.json()).toMatchObject({ code: 'oidc_start_limit', retryAfterSeconds: 3600 });
      expect(refused.headers['retry-after']).toBe('3600');
      expect(refused.headers['set-cookie']).toBeUndefined();
    }
    // A browser following the wallet's button is sent back to the wallet, which explains it.
    const page = await p.t.konpay.app.inject({ method: 'GET', url: `/v1/oidc/${PROVIDER}/start`, remoteAddress: ip, headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toBe('/app/login#oidc=error&code=oidc_start_limit');
    expect(page.headers['set-cookie']).toBeUndefined();
    expect(await oidcFlows()).toBe(before + 3);

    // Other addresses keep their own budgets; so does this one for other endpoints.
    expect((await start('203.0.113.81')).statusCode).toBe(302);
    expect((await challenge(ip)).statusCode).toBe(200);
    // The window ends by itself.
    clock.advance(3_600_000);
    expect((await start(ip)).statusCode).toBe(302);
  });

  it('counts an IPv6 /64 as one client: a fresh address per request does not help', async () => {
    for (let i = 1; i <= 3; i++) expect((await start(`2001:db8:80:1::${i}`)).statusCode).toBe(302);
    expect((await start('2001:db8:80:1:ffff:ffff:ffff:ffff')).json()).toMatchObject({ code: 'oidc_start_limit' });
    expect((await start('2001:db8:80:2::1')).statusCode).toBe(302);
  });
});

describe('attack: asking for proof-of-work challenge after challenge to keep the server deriving keys', () => {
  it('hands one address its per-minute budget, then answers 429 with Retry-After until the minute ends', async () => {
    const ip = '198.51.100.90';
    for (let i = 0; i < 3; i++) expect((await challenge(ip)).statusCode).toBe(200);
    const refused = await challenge(ip);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'challenge_limit', retryAfterSeconds: 60 });
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.body).not.toMatch(/salt|signature/);

    expect((await challenge('198.51.100.91')).statusCode).toBe(200);
    clock.advance(30_000);
    expect((await challenge(ip)).headers['retry-after']).toBe('30');
    clock.advance(30_000);
    expect((await challenge(ip)).statusCode).toBe(200);
  });
});
