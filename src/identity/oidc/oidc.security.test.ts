/**
 * Attacks on external ID sign-in (ID-12; 7pay weakness 4: its external-ID login trusted a
 * user id without checking the provider's token). A real OpenID provider signs a real
 * customer's linked identity in; between its token endpoint and Konpay the ID token is
 * rewritten (re-signed with the provider's own key, so only the named claim is wrong, or
 * with an attacker's key under the provider's key id). Each test signs in on the
 * customer's remembered device, where a token that passed would open a session at once:
 * so a refusal here is the token check's, not the second factor's. A control proves the
 * rewriting itself breaks nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JWTPayload } from 'jose';
import { signUp, type SignedUp } from '../../../test/harness/customer.js';
import { Browser, deliver, outcome, PROVIDER, signInWith, startOidcPair, startSignIn, type OidcPair } from '../../../test/harness/oidc.js';

let p: OidcPair;
let owner: SignedUp;
const SUB = 'sub-owner';
beforeAll(async () => {
  p = await startOidcPair({ worker: false });
  owner = await signUp(p.t);
  p.op.accounts.set(SUB, { sub: SUB, email: 'owner@provider.example', emailVerified: true });
  // Link SUB to the owner: password sign-in on the owner's device (a fresh, privileged session), then the provider.
  const b = ownerDevice();
  expect((await b.request('POST', '/v1/login', {}, { identifier: owner.email, password: owner.password, transport: 'cookie' })).statusCode).toBe(200);
  const started = await b.write('POST', `/v1/me/external-identities/${PROVIDER}`);
  const callback = await p.op.authorize((started.json() as { authorizationUrl: string }).authorizationUrl, SUB);
  expect(outcome(await deliver(b, callback))).toMatchObject({ oidc: 'linked' });
});
afterAll(() => p.stop());

/** A browser holding the owner's device credential: a valid ID token signs in here at once. */
function ownerDevice(): Browser {
  const b = new Browser(p.t);
  b.cookies.set('konpay_device', owner.deviceCredential);
  return b;
}

/** Signs SUB in on the owner's device with the ID token rewritten by `change`. */
async function withTamperedToken(change: (c: JWTPayload) => JWTPayload, key: 'provider' | 'attacker' = 'provider') {
  p.op.tamper = (token) => p.op.resign(token, change, key);
  try {
    const b = ownerDevice();
    const res = await signInWith(p, b, SUB);
    return { o: outcome(res), session: b.cookies.has('konpay_session') };
  } finally {
    p.op.tamper = undefined;
  }
}

const refused = { o: { path: '/app/login', oidc: 'error', code: 'oidc_token_invalid' }, session: false };
const now = () => Math.floor(Date.now() / 1000);

describe('the ID token is verified before anything', () => {
  it('control: the same token re-signed unchanged with the provider key signs in', async () => {
    expect(await withTamperedToken((c) => c)).toEqual({ o: { path: '/app/' }, session: true });
  });

  it('refuses a forged token (signed with another key under the provider key id)', async () => {
    expect(await withTamperedToken((c) => c, 'attacker')).toEqual(refused);
  });

  it('refuses an unsigned token (alg none)', async () => {
    p.op.tamper = async (token) => {
      const [, payload] = token.split('.');
      return `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    };
    try {
      const b = ownerDevice();
      expect(outcome(await signInWith(p, b, SUB))).toMatchObject({ code: 'oidc_token_invalid' });
      expect(b.cookies.has('konpay_session')).toBe(false);
    } finally {
      p.op.tamper = undefined;
    }
  });

  it('refuses a token for another audience', async () => {
    expect(await withTamperedToken((c) => ({ ...c, aud: 'some-other-client' }))).toEqual(refused);
  });

  it('refuses a token whose authorized party is another client (azp), even with us among the audiences', async () => {
    expect(await withTamperedToken((c) => ({ ...c, aud: [p.op.clientId, 'some-other-client'], azp: 'some-other-client' }))).toEqual(refused);
  });

  it('refuses a token from another issuer', async () => {
    expect(await withTamperedToken((c) => ({ ...c, iss: 'https://evil.example' }))).toEqual(refused);
  });

  it('refuses an expired token', async () => {
    expect(await withTamperedToken((c) => ({ ...c, iat: now() - 7200, exp: now() - 3600 }))).toEqual(refused);
  });

  it('refuses a token without iat', async () => {
    expect(await withTamperedToken(({ iat: _iat, ...c }) => c)).toEqual(refused);
  });

  it('refuses a token whose nonce is not this flow\'s (a token minted for another sign-in)', async () => {
    expect(await withTamperedToken((c) => ({ ...c, nonce: 'nonce-of-another-sign-in' }))).toEqual(refused);
  });
});

describe('replays and other browsers', () => {
  it('accepts a callback once: the same code and state again are refused', async () => {
    const b = ownerDevice();
    const callback = await p.op.authorize(await startSignIn(b), SUB);
    const first = await deliver(b, callback);
    expect(outcome(first)).toEqual({ path: '/app/' });
    const replayer = ownerDevice();
    replayer.cookies.set('konpay_oidc', b.cookies.get('konpay_oidc') ?? ''); // even with the binding cookie copied
    const again = await deliver(b, callback);
    expect(outcome(again)).toMatchObject({ oidc: 'error', code: 'oidc_flow_invalid' });
    expect(outcome(await deliver(replayer, callback))).toMatchObject({ oidc: 'error', code: 'oidc_flow_invalid' });
    expect(replayer.cookies.has('konpay_session')).toBe(false);
  });

  it('refuses a stolen code injected into another sign-in (PKCE and state bind the code to its flow)', async () => {
    const victim = ownerDevice();
    const stolen = await p.op.authorize(await startSignIn(victim), SUB);
    const attacker = ownerDevice();
    const own = new URL(await startSignIn(attacker));
    const injected = new URL(stolen);
    injected.searchParams.set('state', own.searchParams.get('state')!);
    expect(outcome(await deliver(attacker, injected))).toMatchObject({ oidc: 'error', code: 'oidc_token_invalid' });
    expect(attacker.cookies.has('konpay_session')).toBe(false);
  });

  it('refuses a callback from a browser that did not start the flow, which stays usable by the one that did', async () => {
    const starter = ownerDevice();
    const callback = await p.op.authorize(await startSignIn(starter), SUB);
    // Even knowing the flow's id (it is in the cookie, which the stranger never sees), the secret beside it is needed.
    const stranger = ownerDevice();
    stranger.cookies.set('konpay_oidc', `${starter.cookies.get('konpay_oidc')!.split('.')[0]}.${'A'.repeat(43)}`);
    expect(outcome(await deliver(stranger, callback))).toMatchObject({ oidc: 'error', code: 'oidc_flow_invalid' });
    const other = ownerDevice(); // its own flow's cookie, the starter's state
    await startSignIn(other);
    expect(outcome(await deliver(other, callback))).toMatchObject({ oidc: 'error', code: 'oidc_token_invalid' });
    expect(stranger.cookies.has('konpay_session') || other.cookies.has('konpay_session')).toBe(false);
    expect(outcome(await deliver(starter, callback))).toEqual({ path: '/app/' });
  });

  it('answers the provider\'s error without signing in', async () => {
    const b = ownerDevice();
    const state = new URL(await startSignIn(b)).searchParams.get('state')!;
    const res = await b.request('GET', `/v1/oidc/${PROVIDER}/callback?error=access_denied&state=${encodeURIComponent(state)}&iss=${encodeURIComponent(p.op.issuer)}`);
    expect(outcome(res)).toMatchObject({ oidc: 'error', code: 'oidc_provider_error' });
    expect(b.cookies.has('konpay_session')).toBe(false);
  });
});

describe('never by e-mail address', () => {
  for (const emailVerified of [false, true]) {
    it(`an identity whose ${emailVerified ? 'verified' : 'unverified'} provider e-mail is an existing account's neither signs in to nor links that account`, async () => {
      const victim = await signUp(p.t);
      const sub = `attacker-${emailVerified}`;
      p.op.accounts.set(sub, { sub, email: victim.email, emailVerified });
      const b = new Browser(p.t);
      b.cookies.set('konpay_device', victim.deviceCredential); // even from the victim's own device
      expect(outcome(await signInWith(p, b, sub))).toEqual({ path: '/app/login', oidc: 'error', code: 'oidc_not_linked', provider: PROVIDER });
      expect(b.cookies.has('konpay_session')).toBe(false);
      const linked = await p.t.konpay.app.inject({ method: 'GET', url: '/v1/me/external-identities', headers: { authorization: `Bearer ${victim.token}` } });
      expect(linked.json()).toMatchObject({ providers: [{ name: PROVIDER, linked: null }] });
    });
  }

  it('an unknown identity gets the same answer whether or not its e-mail has an account (no enumeration)', async () => {
    p.op.accounts.set('nobody', { sub: 'nobody', email: 'nobody-here@example.jp', emailVerified: true });
    expect(outcome(await signInWith(p, new Browser(p.t), 'nobody'))).toEqual({ path: '/app/login', oidc: 'error', code: 'oidc_not_linked', provider: PROVIDER });
  });
});

describe('a linked identity is one factor (ID-4)', () => {
  it('on a new device it asks for the second factor, and opens no session', async () => {
    const b = new Browser(p.t);
    const o = outcome(await signInWith(p, b, SUB));
    expect(o).toMatchObject({ path: '/app/login', oidc: 'second_factor' });
    expect(o['flow']).toMatch(/^flw_/);
    expect(b.cookies.has('konpay_session')).toBe(false);
    expect((await b.request('GET', '/v1/me')).statusCode).toBe(401);
  });

  it('another customer\'s device credential does not count as the owner\'s device', async () => {
    const other = await signUp(p.t);
    const b = new Browser(p.t);
    b.cookies.set('konpay_device', other.deviceCredential);
    expect(outcome(await signInWith(p, b, SUB))).toMatchObject({ oidc: 'second_factor' });
    expect(b.cookies.has('konpay_session')).toBe(false);
  });
});

describe('linking', () => {
  it('cannot be finished in a signed-in victim\'s browser with an attacker\'s callback (link CSRF)', async () => {
    const attacker = await signUp(p.t);
    p.op.accounts.set('attacker-link', { sub: 'attacker-link', email: 'x@provider.example', emailVerified: true });
    const ab = new Browser(p.t);
    ab.cookies.set('konpay_device', attacker.deviceCredential);
    await ab.request('POST', '/v1/login', {}, { identifier: attacker.email, password: attacker.password, transport: 'cookie' });
    const started = await ab.write('POST', `/v1/me/external-identities/${PROVIDER}`);
    const callback = await p.op.authorize((started.json() as { authorizationUrl: string }).authorizationUrl, 'attacker-link');
    const victimBrowser = ownerDevice();
    await victimBrowser.request('POST', '/v1/login', {}, { identifier: owner.email, password: owner.password, transport: 'cookie' });
    expect(outcome(await deliver(victimBrowser, callback))).toMatchObject({ oidc: 'error', code: 'oidc_flow_invalid' });
    const list = await victimBrowser.request('GET', '/v1/me/external-identities');
    expect(list.json()).toMatchObject({ providers: [{ linked: { email: 'owner@provider.example' } }] });
  });

  it('needs a signed-in session: without one the link endpoint answers 401', async () => {
    const res = await p.t.konpay.app.inject({ method: 'POST', url: `/v1/me/external-identities/${PROVIDER}` });
    expect(res.statusCode).toBe(401);
  });
});
