/**
 * The wallet app in a real browser against the real server: sign-up through the screens
 * with the codes from the dev outbox, and the 7pay attack (the password on a new device)
 * stopped at the second factor. Every screen passes axe and is saved at 390×844 for the
 * README (docs/screenshots/wallet-*.png).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesTo, newCustomer, signUp } from '../harness/customer.js';
import { codeSentTo, consoleErrors, look, startWebWorld, type WebWorld } from './harness.js';

let world: WebWorld;
beforeAll(async () => {
  world = await startWebWorld();
});
afterAll(async () => {
  await world?.stop();
});

describe('wallet app', () => {
  it('signs a customer up through the screens: e-mail, password, phone, then both codes', async () => {
    // Fixed details (this file has a database of its own), so the screenshots stay the same from run to run.
    const who = { email: 'hanako@example.jp', phone: '090-1234-5678', phoneE164: '+819012345678', password: 'hoshi-no-kuzu 7 onigiri' };
    const { page } = await world.phone('en-US');
    const errors = consoleErrors(page);
    await page.goto('/app/signup');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Create your Konpay account');
    await look(page, 'wallet-signup');

    await page.getByLabel('E-mail address').fill(who.email);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Password', { exact: true }).fill(who.password);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Mobile number').fill(who.phone);
    await page.getByRole('button', { name: 'Send the codes' }).click();

    await page.getByRole('heading', { name: 'Check your e-mail' }).waitFor();
    // A wrong code is refused with the number of tries left, not a bare error.
    const emailCode = await codeSentTo(world, who.email, 'email');
    await page.getByLabel('Code from the e-mail').fill(emailCode === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Tries left: 4');
    await look(page, 'wallet-signup-email-code');
    await page.getByLabel('Code from the e-mail').fill(emailCode);
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByRole('heading', { name: 'Check your phone' }).waitFor();
    await look(page, 'wallet-signup-sms-code');
    await page.getByLabel('Code from the SMS').fill(await codeSentTo(world, who.phoneE164, 'sms'));
    await page.getByRole('button', { name: 'Create account' }).click();

    await page.getByRole('heading', { name: 'Your wallet' }).waitFor();
    await expect.poll(() => page.getByTestId('balance').textContent()).toBe('￥0');
    expect(new URL(page.url()).pathname).toBe('/app/');
    await look(page, 'wallet-home');
    expect(errors).toEqual([]);
  });

  it('stops the password on a new device at the SMS code, lets the owner in with it, and tells the owner', async () => {
    const owner = await signUp(world.t, newCustomer('owner'));
    // A new browser profile: no device cookie, as an attacker's machine would be.
    const { page } = await world.phone('ja-JP');
    const errors = consoleErrors(page);
    const newDeviceNotices = async () => (await messagesTo(world.t, owner.email)).filter((m) => m.subject?.includes('New sign-in on a new device')).length;
    await page.goto('/app/');
    // Signed out, the wallet opens at sign-in, in the browser's language.
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('ログイン');
    await look(page, 'wallet-login');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    await page.getByLabel('E-mail address or mobile number').fill(owner.email);
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Confirm it is you' }).waitFor();
    // The password alone opened nothing: the wallet API still refuses this browser.
    expect((await page.request.get('/v1/wallet')).status()).toBe(401);
    await look(page, 'wallet-login-sms');

    await page.getByLabel('Code from the SMS').fill(await codeSentTo(world, owner.phoneE164, 'sms'));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('heading', { name: 'Your wallet' }).waitFor();
    // A new device starts in cooling-off (ID-10), and the screen says what that means.
    await expect.poll(() => page.locator('.notice').textContent()).toContain('card top-ups are paused');
    // The server's own outbox worker may still be sending it: wait for it, as for the codes.
    await expect.poll(newDeviceNotices).toBe(1);

    // The language chosen is remembered on this device.
    await page.reload();
    await page.getByRole('heading', { name: 'Your wallet' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');

    // This browser is now a known device (its HttpOnly cookie): the password alone is enough.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('E-mail address or mobile number').fill(owner.email);
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Your wallet' }).waitFor();
    expect(await newDeviceNotices()).toBe(1);
    expect(errors).toEqual([]);
  });
});
