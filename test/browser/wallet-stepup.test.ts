/**
 * The risk engine's step-up (RISK-1) answered on screen, in a real browser against the
 * real server: a customer whose card was added on the phone the account was made on tops
 * up from a new phone, is asked to confirm it is you in place (no password offered: it
 * would not count), answers with an SMS code or a passkey, and the same top-up (the same
 * Idempotency-Key) goes on to the issuer's 3-D Secure challenge and completes, once.
 * The panel passes axe and is saved at 390×844 (docs/screenshots/wallet-stepup*.png).
 */
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesTo } from '../harness/customer.js';
import { withTransaction } from '../../src/db/tx.js';
import { insertDevice } from '../../src/identity/repo/sessions.js';
import { newUuid } from '../../src/shared/ids.js';
import { consoleErrors, expectAccessible, look, signUpIn, startWebWorld, type WebWorld } from './harness.js';
import { addCardInBrowser, chooseAmount, newCardHolder, passChallengeInBrowser, smsCount, uniqueCardNumber, type CardHolder } from './money.js';
import { addVirtualAuthenticator, enrolPasskey, syncPasskeys } from './webauthn.js';

let world: WebWorld;
// A domain, not an IP address: WebAuthn needs one for the passkey case.
beforeAll(async () => {
  world = await startWebWorld({ hostname: 'localhost' });
});
afterAll(async () => {
  await world?.stop();
});

const userIdOf = async (email: string) =>
  (await world.t.konpay.pool.query<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [email])).rows[0]!.id;

/**
 * Signs the customer in on a phone the account has never seen: a device and a session
 * made on the server (as src/risk/raid.security.test.ts does), so no sign-in second
 * factor is fresh and no cooling-off applies; the risk engine alone must ask.
 */
async function newPhone(userId: string): Promise<{ context: BrowserContext; page: Page }> {
  const phone = await world.phone('en-US');
  const now = new Date();
  const s = await withTransaction(world.t.konpay.pool, async (q) => {
    const deviceId = newUuid();
    await insertDevice(q, { id: deviceId, userId, label: 'New phone', now });
    return world.t.konpay.identity.sessions.issue(q, userId, deviceId, 'cookie', { ip: '127.0.0.1', userAgent: 'new phone' }, now);
  });
  await phone.context.addCookies([
    { name: 'konpay_session', value: s.token, url: world.base, httpOnly: true, sameSite: 'Lax' },
    { name: 'konpay_csrf', value: s.csrfToken, url: world.base, sameSite: 'Lax' },
  ]);
  return phone;
}

/** Every Idempotency-Key the page sent with POST /v1/topups, with the answer's status. */
function topupRequests(page: Page): { key: string | undefined; status: number }[] {
  const seen: { key: string | undefined; status: number }[] = [];
  page.on('response', (r) => {
    const req = r.request();
    if (req.method() === 'POST' && new URL(r.url()).pathname === '/v1/topups') seen.push({ key: req.headers()['idempotency-key'], status: r.status() });
  });
  return seen;
}

/** Starts a ¥3,000 top-up and waits for the step-up panel in its place. */
async function startTopup(page: Page) {
  await page.goto('/app/topup');
  await page.locator('input[name=amount]').first().waitFor();
  await chooseAmount(page, 3000);
  await page.locator('form button[type=submit]').click();
  const panel = page.getByTestId('reauth');
  await panel.getByRole('heading', { name: 'Confirm it is you' }).waitFor();
  await panel.getByText('Your password alone is not enough here').waitFor();
  await expect.poll(() => panel.getByRole('button').count()).toBeGreaterThan(1); // the ways have loaded
  // A password would not answer a step-up: it is not offered.
  expect(await panel.getByLabel('Your current password').count()).toBe(0);
  expect(await panel.getByRole('button', { name: 'Use your password' }).count()).toBe(0);
  return panel;
}

/** Asks for the SMS in the panel; answers the code field, which has taken the focus. */
async function sendSms(panel: Locator): Promise<Locator> {
  await panel.getByRole('button', { name: 'Send a code by SMS' }).click();
  const field = panel.getByLabel('Code from the SMS');
  await field.waitFor();
  expect(await field.evaluate((el) => el === (el.ownerDocument as unknown as { activeElement: unknown }).activeElement)).toBe(true);
  return field;
}

/** The code of the newest SMS to `to`, once more than `before` have arrived. */
async function nextSmsCode(to: string, before: number): Promise<string> {
  let body: string | undefined;
  await expect.poll(async () => {
    const sms = (await messagesTo(world.t, to)).filter((m) => m.channel === 'sms');
    body = sms.length > before ? sms[0]!.body : undefined;
    return body;
  }, { timeout: 10_000 }).toBeDefined();
  return /\b(\d{6})\b/.exec(body!)![1]!;
}

/** After confirming: the issuer's challenge, the return page, back in the app; the outcome shown. */
async function finishTopup(page: Page, holder: CardHolder, before: number): Promise<string> {
  await passChallengeInBrowser(world, page, holder, before);
  await page.locator('a[href^="/app/topup"]').click();
  const outcome = page.getByTestId('topup-outcome');
  await expect.poll(async () => (await outcome.count()) && !(await outcome.getAttribute('class'))?.includes('progress')
    ? 'ended' : 'waiting', { timeout: 20_000 }).toBe('ended');
  return (await outcome.textContent()) ?? '';
}

async function topupsOf(userId: string) {
  return (await world.t.konpay.pool.query<{ amount: string; status: string }>(
    `SELECT amount::text, status FROM card_topups WHERE user_id = $1`, [userId])).rows;
}

describe('wallet step-up', () => {
  it('answers a top-up\'s step-up on a new phone with an SMS code; the same top-up then completes, once', async () => {
    const first = await world.phone('en-US');
    const who = await signUpIn(world, first.page, 'stepup-sms');
    const { holder } = await addCardInBrowser(world, first.page); // the phone the account was made on: no step-up
    const uid = await userIdOf(who.email);

    const { page } = await newPhone(uid);
    const errors = consoleErrors(page);
    const sent = topupRequests(page);
    const panel = await startTopup(page);
    // No passkey, no authenticator app, no recovery codes: the SMS, sent only when asked.
    await look(page, 'wallet-stepup');
    const smsBefore = await smsCount(world, who.phoneE164);
    const field = await sendSms(panel);
    const code = await nextSmsCode(who.phoneE164, smsBefore);
    // A wrong code first: said in the alert region, tries left counted.
    await field.fill('000000');
    await panel.getByRole('button', { name: 'Confirm and continue' }).click();
    await expect.poll(() => panel.getByRole('alert').textContent()).toContain('Tries left: 4');
    await look(page, 'wallet-stepup-wrong');

    const before = await smsCount(world, holder.phoneE164);
    await field.fill(code);
    await panel.getByRole('button', { name: 'Confirm and continue' }).click();
    expect(await finishTopup(page, holder, before)).toMatch(/Top-up complete.*3,000/);

    // One top-up, sent twice with one key: refused for the step-up, then accepted.
    expect(await topupsOf(uid)).toEqual([{ amount: '3000', status: 'succeeded' }]);
    expect(sent.map((s) => s.status)).toEqual([403, 201]);
    expect(sent[0]!.key).toBeDefined();
    expect(sent[1]!.key).toBe(sent[0]!.key);
    expect(errors).toEqual([]);
  }, 120_000);

  it('answers it with a passkey synced to the new phone', async () => {
    const first = await world.phone('en-US');
    const firstKey = await addVirtualAuthenticator(first.context, first.page);
    const who = await signUpIn(world, first.page, 'stepup-passkey');
    await enrolPasskey(first.page);
    const { holder } = await addCardInBrowser(world, first.page);
    const uid = await userIdOf(who.email);

    const second = await newPhone(uid);
    const { page } = second;
    const secondKey = await addVirtualAuthenticator(second.context, page);
    await syncPasskeys(firstKey, secondKey);
    const errors = consoleErrors(page);
    const sent = topupRequests(page);
    const panel = await startTopup(page);
    // The passkey first, the SMS as another way.
    await panel.getByRole('button', { name: 'Confirm with a passkey' }).waitFor();
    await panel.getByRole('button', { name: 'Send a code by SMS' }).waitFor();
    await look(page, 'wallet-stepup-passkey');

    const before = await smsCount(world, holder.phoneE164);
    const signCount = (await secondKey.credentials())[0]!.signCount;
    await panel.getByRole('button', { name: 'Confirm with a passkey' }).click();
    expect(await finishTopup(page, holder, before)).toMatch(/Top-up complete.*3,000/);
    expect((await secondKey.credentials())[0]!.signCount).toBeGreaterThan(signCount);

    expect(await topupsOf(uid)).toEqual([{ amount: '3000', status: 'succeeded' }]);
    expect(sent.map((s) => s.status)).toEqual([403, 201]);
    expect(sent[1]!.key).toBe(sent[0]!.key);
    expect(errors).toEqual([]);

    // A privileged change (ID-8) on the new phone, signed in over 5 minutes ago: the
    // password is asked first, and the passkey is offered beside it. (This phone's copy of
    // the passkey: the first phone's signature counter is now behind the server's.)
    await world.t.konpay.pool.query(`UPDATE sessions SET authenticated_at = authenticated_at - interval '10 minutes' WHERE user_id = $1`, [uid]);
    await page.goto('/app/security');
    await page.getByRole('button', { name: /^Remove the passkey / }).click();
    await page.getByRole('button', { name: 'Yes, remove it' }).click();
    const privileged = page.getByTestId('reauth');
    await privileged.getByLabel('Your current password').waitFor();
    await privileged.getByRole('button', { name: 'Use a passkey' }).click();
    await privileged.getByRole('button', { name: 'Confirm with a passkey' }).click();
    await page.getByText('was removed').waitFor();
    expect(errors).toEqual([]);
  }, 120_000);

  it('answers a card addition\'s step-up on a new phone; the same card then goes on to its challenge', async () => {
    const first = await world.phone('en-US');
    const who = await signUpIn(world, first.page, 'stepup-card');
    const uid = await userIdOf(who.email);
    const { page } = await newPhone(uid);
    const errors = consoleErrors(page);
    const holder = newCardHolder();
    await page.goto('/app/cards');
    await page.locator('a[href*="/cardnet/card-form"]').click();
    await page.waitForURL(/\/cardnet\/card-form/);
    await page.locator('#number').fill(uniqueCardNumber());
    await page.locator('#expMonth').fill('12');
    await page.locator('#expYear').fill('2031');
    await page.locator('#cvc').fill('123');
    await page.locator('#holderName').fill('HANAKO YAMADA');
    await page.locator('#phone').fill(holder.phone);
    await page.locator('button[type=submit]').click();
    // Back in the app with the network's token: Konpay asks to confirm it is you first.
    const panel = page.getByTestId('reauth');
    await panel.getByText('Your password alone is not enough here').waitFor();
    await expectAccessible(page, 'wallet-stepup-card');
    const smsBefore = await smsCount(world, who.phoneE164);
    const field = await sendSms(panel);
    await field.fill(await nextSmsCode(who.phoneE164, smsBefore));
    const before = await smsCount(world, holder.phoneE164);
    await panel.getByRole('button', { name: 'Confirm and continue' }).click();
    await passChallengeInBrowser(world, page, holder, before);
    await page.locator('a[href^="/app/cards"]').click();
    await expect.poll(() => page.getByTestId('card-outcome').textContent()).toContain('was added');
    const cards = await world.t.konpay.pool.query(`SELECT status FROM cards WHERE user_id = $1`, [uid]);
    expect(cards.rows).toEqual([{ status: 'active' }]);
    expect(errors).toEqual([]);
  }, 120_000);
});
