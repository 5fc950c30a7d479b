/**
 * The wallet's security screens in a real browser against the real server: passkeys
 * (Chromium's virtual authenticator) enrolled on the security screen, then signing in and
 * unlocking the Pay screen with them; the authenticator app set up from the key beside its
 * QR code and then demanded of a new device; recovery codes shown once; password recovery
 * with the codes from the dev outbox; sessions signed out one by one and everywhere; and
 * "this wasn't me", in the app and from the e-mail's link. Each main screen passes axe and
 * is saved at 390×844 (docs/screenshots/wallet-security*, -passkey*, -totp*, -recovery*).
 */
import { readFile } from 'node:fs/promises';
import { generate } from 'otplib';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesTo, newCustomer, signUp } from '../harness/customer.js';
import { consoleErrors, look, signUpIn, startWebWorld, type WebWorld } from './harness.js';
import { addVirtualAuthenticator, enrolPasskey, syncPasskeys } from './webauthn.js';

let world: WebWorld;
beforeAll(async () => {
  // Passkeys need a domain as the relying party's id: WebAuthn refuses an IP address.
  world = await startWebWorld({ hostname: 'localhost' });
});
afterAll(async () => {
  await world?.stop();
});

type Customer = ReturnType<typeof newCustomer>;

/** The next 6-digit code to `to` that was not among `seen` (earlier codes stay in the outbox). */
async function newCodeTo(to: string, channel: 'email' | 'sms', seen: readonly string[]): Promise<string> {
  let code: string | undefined;
  await eventually(async () => {
    const bodies = (await messagesTo(world.t, to)).filter((m) => m.channel === channel).map((m) => m.body);
    code = bodies.filter((b) => !seen.includes(b)).map((b) => /\b(\d{6})\b/.exec(b)?.[1]).find((c) => c);
    return code;
  }).toBeDefined();
  return code!;
}

async function bodiesTo(to: string, channel: 'email' | 'sms'): Promise<string[]> {
  return (await messagesTo(world.t, to)).filter((m) => m.channel === channel).map((m) => m.body);
}

/** The session's sign-in moved 10 minutes back: past the 5-minute privileged window. */
async function ageSessions(email: string): Promise<void> {
  await world.t.konpay.pool.query(
    `UPDATE sessions SET authenticated_at = authenticated_at - interval '10 minutes' WHERE user_id = (SELECT id FROM users WHERE email = $1)`, [email]);
}

async function signInWithPassword(page: Page, who: Customer): Promise<void> {
  await page.goto('/app/login');
  await page.getByLabel('E-mail address or mobile number').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** A second phone signed in with the password and the SMS code (a new device). */
async function secondPhone(who: Customer): Promise<{ context: BrowserContext; page: Page }> {
  const phone = await world.phone('en-US');
  const seen = await bodiesTo(who.phoneE164, 'sms');
  await signInWithPassword(phone.page, who);
  await phone.page.getByLabel('Code from the SMS').fill(await newCodeTo(who.phoneE164, 'sms', seen));
  await phone.page.getByRole('button', { name: 'Confirm', exact: true }).click();
  await phone.page.getByRole('heading', { name: 'Your wallet' }).waitFor();
  return phone;
}

/** What the screens show after a request or a delivery: generous, as the machine may be busy (vitest's default is 1 s). */
function eventually<T>(fn: () => T | Promise<T>) {
  return expect.poll(fn, { timeout: 10_000 });
}

const walletStatus = async (page: Page) => (await page.request.get('/v1/wallet')).status();

describe('wallet security screens', () => {
  it('enrols a passkey, signs out, signs back in with the passkey alone, and asks for the password in place for a late change', async () => {
    const { context, page } = await world.phone('en-US');
    const errors = consoleErrors(page);
    const authr = await addVirtualAuthenticator(context, page);
    const who = await signUpIn(world, page, 'pk');

    await page.goto('/app/security');
    await page.getByRole('heading', { name: 'Security', level: 1 }).waitFor();
    await eventually(() => page.getByTestId('session').count()).toBe(1);
    await expect(page.getByTestId('session').first().textContent()).resolves.toContain('This device');
    await look(page, 'wallet-security');
    // The same screen in Japanese, checked too (longer words, other glyphs).
    await page.getByRole('button', { name: '日本語' }).click();
    await page.getByRole('heading', { name: 'セキュリティ', level: 1 }).waitFor();
    await look(page, 'wallet-security-ja');
    await page.getByRole('button', { name: 'English' }).click();

    await enrolPasskey(page);
    expect(await authr.credentials()).toHaveLength(1);
    await eventually(() => page.getByTestId('events').textContent()).toContain('Sign-in method added');

    // Signed out (the device cookie stays), the passkey signs in with no password typed.
    await page.goto('/app/');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await walletStatus(page)).toBe(401);
    await look(page, 'wallet-passkey-login');
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await page.getByRole('heading', { name: 'Your wallet' }).waitFor();
    expect(await walletStatus(page)).toBe(200);
    expect((await authr.credentials())[0]!.signCount).toBeGreaterThan(0);

    // Ten minutes on, removing the passkey needs the password again, asked for right there.
    await ageSessions(who.email);
    await page.goto('/app/security');
    await page.getByRole('button', { name: /^Remove the passkey / }).click();
    await page.getByRole('button', { name: 'Yes, remove it' }).click();
    const password = page.getByLabel('Your current password');
    await password.waitFor();
    await look(page, 'wallet-security-reauth');
    await password.fill('not the password');
    await page.getByRole('button', { name: 'Confirm and continue' }).click();
    await eventually(() => page.locator('.reauth').getByRole('alert').textContent()).toContain('Tries left: 4');
    await password.fill(who.password);
    await page.getByRole('button', { name: 'Confirm and continue' }).click();
    await page.getByText('was removed').waitFor();
    await eventually(() => page.getByTestId('passkey').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 90_000);

  it('sets up the authenticator app from the key beside the QR code; a new device must then pass it', async () => {
    const { page } = await world.phone('en-US');
    const errors = consoleErrors(page);
    const who = await signUpIn(world, page, 'totp');
    await page.goto('/app/security');
    await page.getByRole('link', { name: 'Set up an authenticator app' }).click();
    await page.getByRole('heading', { name: 'Authenticator app', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Start setting up' }).click();

    const qr = page.getByRole('img', { name: 'QR code to add Konpay to your authenticator app' });
    await expect(qr.getAttribute('src')).resolves.toMatch(/^data:image\/svg\+xml/);
    const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await look(page, 'wallet-totp-setup');

    // A wrong code is refused with what to check; the app's current code turns it on.
    const now = Math.floor(Date.now() / 1000);
    const good = await generate({ secret, epoch: now });
    await page.getByLabel('Code from the app').fill(good === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Turn on' }).click();
    await eventually(() => page.getByRole('alert').textContent()).toContain('not the code the app shows now');
    await page.getByLabel('Code from the app').fill(good);
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByText('The authenticator app is on.').waitFor();
    await look(page, 'wallet-totp-done');
    await page.goto('/app/security');
    await eventually(() => page.getByTestId('totp-status').textContent()).toMatch(/^On since/);

    // A new phone: the password is not enough, and the app's code is what is asked for first.
    const other = await world.phone('en-US');
    const otherErrors = consoleErrors(other.page);
    const smsBefore = (await bodiesTo(who.phoneE164, 'sms')).length;
    await signInWithPassword(other.page, who);
    await other.page.getByRole('heading', { name: 'Confirm it is you' }).waitFor();
    expect(await walletStatus(other.page)).toBe(401);
    await look(other.page, 'wallet-totp-login');
    // The next period's code: the one that turned the app on is spent (replays are refused).
    await other.page.getByLabel('Code from the authenticator app').fill(await generate({ secret, epoch: now + 30 }));
    await other.page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await other.page.getByRole('heading', { name: 'Your wallet' }).waitFor();
    expect(await walletStatus(other.page)).toBe(200);
    // No SMS was sent for a way the customer did not choose.
    expect((await bodiesTo(who.phoneE164, 'sms')).length).toBe(smsBefore);

    // Turned off again after a confirmation; the account is back to SMS codes.
    await page.goto('/app/security/totp');
    await page.getByRole('button', { name: 'Turn off the authenticator app' }).click();
    await page.getByRole('button', { name: 'Yes, turn it off' }).click();
    await page.getByRole('button', { name: 'Start setting up' }).waitFor();
    const factors = await page.request.get('/v1/me/factors');
    expect(((await factors.json()) as { totp: { status: string } }).totp.status).toBe('none');
    expect([...errors, ...otherErrors]).toEqual([]);
  }, 90_000);

  it('shows recovery codes once, as a file too, and one of them lets a new device in', async () => {
    const { page } = await world.phone('en-US');
    const errors = consoleErrors(page);
    const who = await signUpIn(world, page, 'rc');
    await page.goto('/app/security/recovery-codes');
    await page.getByRole('heading', { name: 'Recovery codes', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Make recovery codes' }).click();
    const list = page.getByTestId('recovery-codes').locator('li');
    await eventually(() => list.count()).toBe(10);
    const codes = await list.allTextContents();
    await expect(page.getByText('This is the only time they are shown').isVisible()).resolves.toBe(true);
    await look(page, 'wallet-recovery-codes');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download as a text file' }).click()]);
    expect(download.suggestedFilename()).toBe('konpay-recovery-codes.txt');
    const file = (await readFile(await download.path())).toString('utf8');
    for (const c of codes) expect(file).toContain(c);

    // Gone once the customer leaves: the screen shows how many are left, never the codes.
    await page.getByRole('link', { name: 'I have saved them' }).click();
    await eventually(() => page.getByTestId('recovery-codes-status').textContent()).toBe('10 of 10 codes left.');
    await page.goto('/app/security/recovery-codes');
    await eventually(() => page.getByTestId('recovery-codes-status').textContent()).toMatch(/^10 of 10 codes left/);
    expect(await page.getByTestId('recovery-codes').count()).toBe(0);
    expect(await page.content()).not.toContain(codes[0]!);

    const other = await world.phone('en-US');
    await signInWithPassword(other.page, who);
    await other.page.getByRole('button', { name: 'Use a recovery code' }).click();
    await other.page.getByLabel('Recovery code').fill(codes[3]!.toUpperCase());
    await other.page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await other.page.getByRole('heading', { name: 'Your wallet' }).waitFor();
    await page.goto('/app/security');
    await eventually(() => page.getByTestId('recovery-codes-status').textContent()).toBe('9 of 10 codes left.');
    expect(errors).toEqual([]);
  }, 90_000);

  it('recovers a forgotten password end to end: e-mail code, SMS code, new password, signed in', async () => {
    const who = await signUp(world.t, newCustomer('lost'));
    const { page } = await world.phone('en-US');
    const errors = consoleErrors(page);
    await page.goto('/app/login');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByRole('heading', { name: 'Recover your account' }).waitFor();
    await look(page, 'wallet-recovery-start');

    const emailsBefore = await bodiesTo(who.email, 'email');
    const smsBefore = await bodiesTo(who.phoneE164, 'sms');
    await page.getByLabel('E-mail address or mobile number').fill(who.phone);
    await page.getByRole('button', { name: 'Send the code' }).click();
    await page.getByLabel('Code from the e-mail').fill(await newCodeTo(who.email, 'email', emailsBefore));
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await page.getByLabel('Code from the SMS').fill(await newCodeTo(who.phoneE164, 'sms', smsBefore));
    // A leaked password is refused with the reason, and the flow goes on.
    await page.getByLabel('New password').fill('password123');
    await page.getByRole('button', { name: 'Change the password and sign in' }).click();
    await eventually(() => page.getByRole('alert').textContent()).toContain('leaked or common');
    await look(page, 'wallet-recovery-finish');
    const newPassword = 'umi-no-hoshi 42 kamome';
    await page.getByLabel('New password').fill(newPassword);
    await page.getByRole('button', { name: 'Change the password and sign in' }).click();
    await page.getByRole('heading', { name: 'Your wallet' }).waitFor();
    expect(await walletStatus(page)).toBe(200);

    // The old password is dead, the old session too; the new password works.
    const old = await page.request.post('/v1/login', { data: { identifier: who.email, password: who.password } });
    expect(old.status()).toBe(401);
    const oldSession = await world.t.konpay.app.inject({ method: 'GET', url: '/v1/wallet', headers: { authorization: `Bearer ${who.token}` } });
    expect(oldSession.statusCode).toBe(401);
    const fresh = await page.request.post('/v1/login', { data: { identifier: who.email, password: newPassword } });
    expect([200, 202]).toContain(fresh.status());
    expect(errors).toEqual([]);
  }, 90_000);

  it('signs another session out, forgets its device, and signs out everywhere: the other phone is out each time', async () => {
    const { page } = await world.phone('en-US');
    const errors = consoleErrors(page);
    const who = await signUpIn(world, page, 'sess');
    const other = await secondPhone(who);
    expect(await walletStatus(other.page)).toBe(200);

    await page.goto('/app/security');
    await eventually(() => page.getByTestId('session').count()).toBe(2);
    const otherRow = page.getByTestId('session').filter({ hasNotText: 'This device' });
    await otherRow.getByRole('button', { name: /^Sign out / }).click();
    await page.getByText('was signed out.').waitFor();
    expect(await walletStatus(other.page)).toBe(401);
    await eventually(() => page.getByTestId('session').count()).toBe(1);

    // Still a remembered device: the password alone lets it back in, until it is forgotten.
    await signInWithPassword(other.page, who);
    await other.page.getByRole('heading', { name: 'Your wallet' }).waitFor();
    await page.reload();
    await eventually(() => page.getByTestId('device').count()).toBe(2);
    await page.getByTestId('device').filter({ hasNotText: 'This device' }).getByRole('button', { name: /^Forget / }).click();
    await page.getByText('was forgotten and signed out.').waitFor();
    expect(await walletStatus(other.page)).toBe(401);

    // Back in with a second factor, then "sign out everywhere" ends both phones.
    const again = await secondPhone(who);
    expect(await walletStatus(again.page)).toBe(200);
    await page.reload();
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await look(page, 'wallet-security-sign-out-everywhere');
    await page.getByRole('button', { name: 'Yes, sign out everywhere' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await walletStatus(page)).toBe(401);
    expect(await walletStatus(again.page)).toBe(401);
    expect(errors).toEqual([]);
  }, 120_000);

  it('acts on an event the customer does not recognise: a new password from the app, a freeze from the e-mail link', async () => {
    const { page } = await world.phone('en-US');
    const errors = consoleErrors(page);
    const who = await signUpIn(world, page, 'notme');
    const intruder = await secondPhone(who);

    await page.goto('/app/security');
    const event = page.getByTestId('event').filter({ hasText: 'Signed in on a new device' });
    await event.getByRole('button', { name: /^Not you\?/ }).click();
    await page.getByRole('heading', { name: 'Secure your account' }).waitFor();
    await look(page, 'wallet-security-not-me');
    await page.getByLabel('New password').fill('kaze-no-tani 88 hotaru');
    await page.getByRole('button', { name: 'Change the password' }).click();
    await page.getByText('Password changed. 1 other sessions were signed out.').waitFor();
    expect(await walletStatus(intruder.page)).toBe(401);
    expect(await walletStatus(page)).toBe(200);

    // The notice e-mail's "this wasn't me" link: a page that changes nothing until its button.
    const notice = (await messagesTo(world.t, who.email)).find((m) => m.subject?.includes('New sign-in on a new device'));
    const link = /https?:\/\/\S+\/v1\/freeze\?token=\S+/.exec(notice?.body ?? '')?.[0];
    expect(link).toBeDefined();
    const mail = await world.phone('en-US');
    await mail.page.goto(link!);
    await mail.page.getByRole('button').waitFor();
    expect(await walletStatus(page)).toBe(200);
    await look(mail.page, 'wallet-security-freeze-link');
    await mail.page.getByRole('button').click();
    await mail.page.waitForURL(/\/v1\/freeze/);
    await eventually(() => mail.page.locator('h1').textContent()).toMatch(/frozen/i);
    expect(await walletStatus(page)).toBe(401);
    const frozen = await page.request.post('/v1/login', { data: { identifier: who.email, password: 'kaze-no-tani 88 hotaru' } });
    expect((await frozen.json() as { code: string }).code).toBe('account_frozen');
    expect(errors).toEqual([]);
  }, 120_000);

  it('takes a synced passkey as the second factor on a new phone, and in a password recovery', async () => {
    const first = await world.phone('en-US');
    const errors = consoleErrors(first.page);
    const authr = await addVirtualAuthenticator(first.context, first.page);
    const who = await signUpIn(world, first.page, 'sync');
    await enrolPasskey(first.page);

    // The customer's other phone: the passkey synced to it, no device cookie.
    const second = await world.phone('en-US');
    const errors2 = consoleErrors(second.page);
    const secondAuthr = await addVirtualAuthenticator(second.context, second.page);
    await syncPasskeys(authr, secondAuthr);
    await signInWithPassword(second.page, who);
    await second.page.getByRole('heading', { name: 'Confirm it is you' }).waitFor();
    expect(await walletStatus(second.page)).toBe(401);
    await look(second.page, 'wallet-passkey-second-factor');
    await second.page.getByRole('button', { name: 'Continue with the passkey' }).click();
    await second.page.getByRole('heading', { name: 'Your wallet' }).waitFor();
    expect(await walletStatus(second.page)).toBe(200);

    // A third phone, password forgotten: the e-mail code, then the passkey with the new password.
    const third = await world.phone('en-US');
    // Synced from the phone that used it last: its signature counter moved on there (an older copy is refused as a clone).
    await syncPasskeys(secondAuthr, await addVirtualAuthenticator(third.context, third.page));
    const emailsBefore = await bodiesTo(who.email, 'email');
    await third.page.goto('/app/recover');
    await third.page.getByLabel('E-mail address or mobile number').fill(who.email);
    await third.page.getByRole('button', { name: 'Send the code' }).click();
    await third.page.getByLabel('Code from the e-mail').fill(await newCodeTo(who.email, 'email', emailsBefore));
    await third.page.getByRole('button', { name: 'Next' }).click();
    await third.page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await third.page.getByLabel('New password').fill('yuki-no-hi 31 tanuki');
    await third.page.getByRole('button', { name: 'Continue with the passkey' }).click();
    await third.page.getByRole('heading', { name: 'Your wallet' }).waitFor();
    // Recovery signs every other session out.
    expect(await walletStatus(first.page)).toBe(401);
    expect(await walletStatus(second.page)).toBe(401);
    expect([...errors, ...errors2]).toEqual([]);
  }, 90_000);

  it('unlocks the Pay screen with a passkey on a phone that has one', async () => {
    const { context, page } = await world.phone('en-US');
    const errors = consoleErrors(page);
    await addVirtualAuthenticator(context, page);
    await signUpIn(world, page, 'unlock');
    await enrolPasskey(page);
    await page.goto('/app/pay');
    const unlock = page.getByRole('button', { name: 'Unlock with a passkey' });
    await unlock.waitFor();
    // The PIN stays offered as the other way.
    await page.getByLabel('App PIN').waitFor();
    await look(page, 'wallet-passkey-unlock');
    await unlock.click();
    await page.getByTestId('code-digits').waitFor();
    expect(((await page.getByTestId('code-digits').textContent()) ?? '').replace(/ /g, '')).toMatch(/^99\d{18}$/);
    expect(errors).toEqual([]);
  }, 60_000);
});
