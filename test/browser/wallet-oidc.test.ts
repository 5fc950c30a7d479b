/**
 * External ID sign-in in the wallet (ID-12), in Chromium against a real OpenID provider:
 * the login screen offers "Sign in with Test ID" when a provider is configured; on the
 * customer's remembered device it signs in, on a new one it lands in the second-factor step
 * (the SMS code), and an identity not linked to any account is told how to proceed.
 */
import type { Browser as Chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestCode, messagesTo, signUp, type SignedUp } from '../harness/customer.js';
import { startTestKonpay, type TestKonpay } from '../harness/konpay.js';
import { freePort } from '../harness/net.js';
import { Browser, outcome, PROVIDER } from '../harness/oidc.js';
import { startTestOidcProvider, type TestOidcProvider } from '../harness/oidc-provider.js';
import { launchChromium } from './chromium.js';

let chromium: Chromium;
let t: TestKonpay;
let op: TestOidcProvider;
let base: string;
let owner: SignedUp;

beforeAll(async () => {
  chromium = await launchChromium();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  op = await startTestOidcProvider({ redirectUris: [`${base}/v1/oidc/${PROVIDER}/callback`] });
  t = await startTestKonpay({
    PORT: String(port), PUBLIC_URL: base,
    OIDC_PROVIDERS: JSON.stringify([{ name: PROVIDER, label: 'Test ID', issuer: op.issuer, clientId: op.clientId, clientSecret: op.clientSecret }]),
  });
  await t.konpay.listen();
  owner = await signUp(t);
  op.accounts.set('browser-owner', { sub: 'browser-owner', email: 'owner@provider.example', emailVerified: true });
  op.accounts.set('browser-stranger', { sub: 'browser-stranger', email: owner.email, emailVerified: true });
  // Linked through the API (the security screen's button does the same two requests).
  const b = new Browser(t);
  b.cookies.set('konpay_device', owner.deviceCredential);
  expect((await b.request('POST', '/v1/login', {}, { identifier: owner.email, password: owner.password, transport: 'cookie' })).statusCode).toBe(200);
  const started = await b.write('POST', `/v1/me/external-identities/${PROVIDER}`);
  const callback = await op.authorize((started.json() as { authorizationUrl: string }).authorizationUrl, 'browser-owner');
  expect(outcome(await b.request('GET', `${callback.pathname}${callback.search}`))).toMatchObject({ oidc: 'linked' });
}, 60_000);
afterAll(async () => {
  await chromium?.close();
  await t?.stop();
  await op?.close();
});

async function phone(device?: string) {
  const context = await chromium.newContext({ baseURL: base, locale: 'en-US', viewport: { width: 390, height: 844 } });
  if (device) await context.addCookies([{ name: 'konpay_device', value: device, url: base, httpOnly: true, sameSite: 'Lax' }]);
  const page = await context.newPage();
  await page.goto('/app/login');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  return { context, page };
}

describe('wallet: sign in with an external ID', () => {
  it('signs in on the remembered device, and asks a new device for the SMS code first', async () => {
    op.defaultLogin = 'browser-owner';
    const known = await phone(owner.deviceCredential);
    await known.page.getByRole('link', { name: 'Sign in with Test ID' }).click();
    await known.page.getByRole('heading', { name: 'Your wallet' }).waitFor();
    await known.context.close();

    const fresh = await phone();
    const smsBefore = (await messagesTo(t, owner.phoneE164)).length;
    await fresh.page.getByRole('link', { name: 'Sign in with Test ID' }).click();
    await fresh.page.getByRole('heading', { name: 'Confirm it is you' }).waitFor();
    expect((await fresh.page.request.get('/v1/wallet')).status()).toBe(401);
    // The code of this sign-in, not the sign-up's: wait for the new SMS (the server's own worker sends it).
    await expect.poll(async () => (await messagesTo(t, owner.phoneE164)).length).toBeGreaterThan(smsBefore);
    await fresh.page.getByLabel('Code from the SMS').fill(await latestCode(t, owner.phoneE164, 'sms'));
    await fresh.page.getByRole('button', { name: 'Confirm' }).click();
    await fresh.page.getByRole('heading', { name: 'Your wallet' }).waitFor();
    await fresh.context.close();
  }, 60_000);

  it('tells an unlinked identity to sign in with the password and link it, even when its e-mail is an account\'s', async () => {
    op.defaultLogin = 'browser-stranger';
    const { context, page } = await phone();
    await page.getByRole('link', { name: 'Sign in with Test ID' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not linked to Konpay');
    expect((await page.request.get('/v1/wallet')).status()).toBe(401);
    await context.close();
  });
});
