/**
 * External ID sign-in (ID-12) against a real OpenID provider: link while signed in (after
 * a re-authentication), then sign in with it on a remembered device (a session at once)
 * and on a new one (the login's second factor, then a session), list and unlink.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestCode, messagesTo, signUp, type SignedUp } from '../../../test/harness/customer.js';
import { Browser, KONPAY_URL, outcome, PROVIDER, signInWith, startOidcPair, type OidcPair } from '../../../test/harness/oidc.js';
import { ManualClock } from '../../shared/clock.js';

let p: OidcPair;
const clock = new ManualClock(new Date());
beforeAll(async () => {
  p = await startOidcPair({ worker: false, clock });
});
afterAll(() => p.stop());

/** A browser on the customer's remembered device, signed in with the password (cookie transport). */
async function signedInBrowser(s: SignedUp): Promise<Browser> {
  const b = new Browser(p.t);
  b.cookies.set('konpay_device', s.deviceCredential);
  const res = await b.request('POST', '/v1/login', {}, { identifier: s.email, password: s.password, transport: 'cookie' });
  expect(res.statusCode, res.body).toBe(200);
  return b;
}

/** Links `sub` to the customer signed in in `b`; answers the callback's outcome. */
async function link(b: Browser, sub: string) {
  const started = await b.write('POST', `/v1/me/external-identities/${PROVIDER}`);
  expect(started.statusCode, started.body).toBe(200);
  const { authorizationUrl } = started.json() as { authorizationUrl: string };
  const callback = await p.op.authorize(authorizationUrl, sub);
  return outcome(await b.request('GET', `${callback.pathname}${callback.search}`));
}

describe('the providers endpoint', () => {
  it('names the configured providers and where to start', async () => {
    const res = await p.t.konpay.app.inject({ method: 'GET', url: '/v1/oidc/providers' });
    expect(res.json()).toEqual({ providers: [{ name: PROVIDER, label: 'Test ID', startUrl: `/v1/oidc/${PROVIDER}/start` }] });
  });

  it('redirects to the provider with PKCE S256, state and nonce, and binds the browser', async () => {
    const b = new Browser(p.t);
    const res = await b.request('GET', `/v1/oidc/${PROVIDER}/start`);
    expect(res.statusCode).toBe(302);
    const to = new URL(res.headers.location as string);
    expect(to.origin).toBe(p.op.issuer);
    expect(to.searchParams.get('code_challenge_method')).toBe('S256');
    expect(to.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(to.searchParams.get('state')).toBeTruthy();
    expect(to.searchParams.get('nonce')).toBeTruthy();
    expect(to.searchParams.get('redirect_uri')).toBe(`${KONPAY_URL}/v1/oidc/${PROVIDER}/callback`);
    const cookie = res.cookies.find((c) => c.name === 'konpay_oidc')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/v1/oidc/' });
  });

  it('answers 404 for a provider that is not configured (a browser: back to the wallet, which explains)', async () => {
    const res = await p.t.konpay.app.inject({ method: 'GET', url: '/v1/oidc/nope/start' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'oidc_provider_unknown' });
    const page = await p.t.konpay.app.inject({ method: 'GET', url: '/v1/oidc/nope/start', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toBe('/app/login#oidc=error&code=oidc_provider_unknown');
  });
});

describe('link, then sign in with the provider', () => {
  it('links only from a re-authenticated session, then signs in on the known device and on a new one after the second factor', async () => {
    const s = await signUp(p.t);
    p.op.accounts.set('sub-happy', { sub: 'sub-happy', email: 'someone-else@provider.example', emailVerified: true });
    const b = await signedInBrowser(s);

    // Six minutes later the session is no longer privileged: linking needs a re-authentication.
    clock.advance(6 * 60_000);
    const stale = await b.write('POST', `/v1/me/external-identities/${PROVIDER}`);
    expect(stale.statusCode).toBe(403);
    expect(stale.json()).toMatchObject({ code: 'reauthentication_required' });
    const reauth = await b.write('POST', '/v1/me/reauthenticate', { password: s.password });
    expect(reauth.statusCode, reauth.body).toBe(200);

    expect(await link(b, 'sub-happy')).toMatchObject({ path: '/app/security', oidc: 'linked', provider: PROVIDER });
    const list = await b.request('GET', '/v1/me/external-identities');
    expect(list.json()).toMatchObject({ providers: [{ name: PROVIDER, label: 'Test ID', linked: { email: 'someone-else@provider.example', lastUsedAt: null } }] });
    const mail = await messagesTo(p.t, s.email);
    expect(mail.some((m) => /external ID was added/.test(m.subject ?? ''))).toBe(true);

    // Known device: the device cookie rides along, and a session opens at once.
    const known = new Browser(p.t);
    known.cookies.set('konpay_device', s.deviceCredential);
    const res = await signInWith(p, known, 'sub-happy');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/app/');
    const me = await known.request('GET', '/v1/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: s.userId, email: s.email });

    // New device: the same flow state as a right password there.
    const fresh = new Browser(p.t);
    const o = outcome(await signInWith(p, fresh, 'sub-happy'));
    expect(o).toMatchObject({ path: '/app/login', oidc: 'second_factor' });
    expect(o['methods']!.split(',')).toContain('sms');
    expect(fresh.cookies.has('konpay_session')).toBe(false);
    expect((await fresh.request('GET', '/v1/me')).statusCode).toBe(401);
    expect((await fresh.request('POST', `/v1/login/${o['flow']}/sms`)).statusCode).toBe(202);
    const code = await latestCode(p.t, s.phoneE164, 'sms');
    const done = await fresh.request('POST', `/v1/login/${o['flow']}/verify`, {}, { method: 'sms', code, deviceLabel: 'Laptop', transport: 'cookie' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'authenticated', userId: s.userId });
    expect((await fresh.request('GET', '/v1/me')).statusCode).toBe(200);
    const events = (await fresh.request('GET', '/v1/me/security-events')).json() as { events: { kind: string }[] };
    expect(events.events.map((e) => e.kind)).toEqual(expect.arrayContaining(['external_identity_linked', 'new_device_login']));
  });

  it('unlinks from a re-authenticated session; the identity then signs in to nothing', async () => {
    const s = await signUp(p.t);
    p.op.accounts.set('sub-unlink', { sub: 'sub-unlink', email: 'u@provider.example', emailVerified: true });
    const b = await signedInBrowser(s);
    expect(await link(b, 'sub-unlink')).toMatchObject({ oidc: 'linked' });
    const del = await b.write('DELETE', `/v1/me/external-identities/${PROVIDER}`);
    expect(del.statusCode).toBe(204);
    expect((await b.write('DELETE', `/v1/me/external-identities/${PROVIDER}`)).statusCode).toBe(404);
    const known = new Browser(p.t);
    known.cookies.set('konpay_device', s.deviceCredential);
    expect(outcome(await signInWith(p, known, 'sub-unlink'))).toMatchObject({ oidc: 'error', code: 'oidc_not_linked' });
    expect(known.cookies.has('konpay_session')).toBe(false);
  });

  it('refuses to link an identity already linked to another account', async () => {
    const a = await signUp(p.t);
    const c = await signUp(p.t);
    p.op.accounts.set('sub-shared', { sub: 'sub-shared', email: 's@provider.example', emailVerified: true });
    expect(await link(await signedInBrowser(a), 'sub-shared')).toMatchObject({ oidc: 'linked' });
    expect(await link(await signedInBrowser(c), 'sub-shared')).toMatchObject({ path: '/app/security', oidc: 'error', code: 'external_identity_taken' });
  });
});
