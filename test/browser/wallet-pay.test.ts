/**
 * The wallet's pay screen and history in a real browser against the real server: unlock
 * with the app PIN (chosen on the spot), the one-time code read off the screen and taken
 * by a store terminal's signed API, the code renewed every minute (the page's clock driven
 * by Playwright, so no test waits a real minute) and not while the page is hidden; then
 * the payment in the history, its filters and the CSV download. A wrong PIN says how many
 * tries are left, the fifth turns the PIN off, and choosing a new one late asks for the
 * password. Each screen passes axe and is saved at 390×844 (docs/screenshots/wallet-pay-*).
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cashTopup } from '../harness/cash.js';
import { declineOf, pay } from '../harness/payments.js';
import { newTerminal, type TestTerminal } from '../harness/pos.js';
import { consoleErrors, look, signUpIn, startWebWorld, type WebWorld } from './harness.js';

let world: WebWorld;
let till: TestTerminal;
beforeAll(async () => {
  world = await startWebWorld();
  till = await newTerminal(world.t);
});
afterAll(async () => {
  await world?.stop();
});

/** The 20 digits as the cashier would type them from the screen. */
async function codeOnScreen(page: Page): Promise<string> {
  const text = (await page.getByTestId('code-digits').textContent()) ?? '';
  expect(text).toMatch(/^\d{4}( \d{4}){4}$/);
  return text.replace(/ /g, '');
}

async function nextCodeAfter(page: Page, old: string): Promise<string> {
  let code = old;
  await expect.poll(async () => (code = await codeOnScreen(page))).not.toBe(old);
  return code;
}

/** Page Visibility as when the phone is put away or another app comes to the front. */
async function setHidden(page: Page, hidden: boolean): Promise<void> {
  // A string, evaluated in the page: the test's own type-check has no DOM library.
  await page.evaluate(`Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => '${hidden ? 'hidden' : 'visible'}' });
    document.dispatchEvent(new Event('visibilitychange'));`);
}

async function setPinOnScreen(page: Page, pin: string): Promise<void> {
  await page.getByLabel('New app PIN').fill(pin);
  await page.getByRole('button', { name: 'Set the PIN and unlock' }).click();
}

describe('wallet pay screen and history', () => {
  it('unlocks, shows a renewing code that a till takes, then lists the payment and exports it', async () => {
    const { page } = await world.phone('en-US');
    const errors = consoleErrors(page);
    // The page's timers and Date run on Playwright's clock: "a minute later" without the wait.
    await page.clock.install();
    const codeRequests: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/v1/payment-codes')) codeRequests.push(r.url());
    });
    await signUpIn(world, page, 'payer');
    await page.goto('/app/');
    await page.getByRole('link', { name: 'Pay at the till' }).click();
    await page.getByRole('heading', { name: 'Pay', level: 1 }).waitFor();

    // Locked first: no code is asked for before the PIN.
    await page.getByLabel('App PIN').waitFor();
    await look(page, 'wallet-pay-locked');
    await page.getByLabel('App PIN').fill('2580');
    await page.getByRole('button', { name: 'Unlock' }).click();
    // This phone has no PIN yet: the screen offers to choose one; a guessable one is refused.
    await setPinOnScreen(page, '1234');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('harder to guess');
    await look(page, 'wallet-pay-set-pin');
    expect(codeRequests).toEqual([]);
    await setPinOnScreen(page, '2580');

    await page.getByTestId('code-digits').waitFor();
    const first = await codeOnScreen(page);
    expect(first).toMatch(/^99\d{18}$/);
    await expect.poll(() => page.getByTestId('countdown').textContent()).toMatch(/^Valid for [45]:\d\d$/);
    await expect(page.getByRole('img', { name: 'Barcode of your payment code' }).getAttribute('src')).resolves.toMatch(/^data:image\/svg\+xml/);
    await look(page, 'wallet-pay-code');

    // The countdown runs down with the clock.
    const before = await page.getByTestId('countdown').textContent();
    await page.clock.fastForward(10_000);
    await expect.poll(() => page.getByTestId('countdown').textContent()).not.toBe(before);

    // A minute on, a new code replaces the first, which no till accepts any more.
    await page.clock.fastForward(60_000);
    const second = await nextCodeAfter(page, first);
    const stale = await pay(till, first, 500);
    expect(stale.status).toBe(402);
    expect(declineOf(stale)).toBe('code_superseded');

    // Cash at the register, with the code on screen.
    const topup = await cashTopup(till, second, 5000);
    expect(topup.status, JSON.stringify(topup.json)).toBe(201);

    // Hidden, the page asks for no code however long it waits; back in view, a fresh one at once.
    await setHidden(page, true);
    const asked = codeRequests.length;
    await page.clock.fastForward(180_000);
    expect(codeRequests.length).toBe(asked);
    await setHidden(page, false);
    const third = await nextCodeAfter(page, second);
    expect(codeRequests.length).toBe(asked + 1);

    const paid = await pay(till, third, 1200);
    expect(paid.status, JSON.stringify(paid.json)).toBe(201);

    // Leaving the screen stops the renewing.
    await page.getByRole('link', { name: 'Back to your wallet' }).click();
    await page.getByRole('heading', { name: 'Your wallet' }).waitFor();
    const left = codeRequests.length;
    await page.clock.fastForward(120_000);
    expect(codeRequests.length).toBe(left);
    await expect.poll(() => page.getByTestId('balance').textContent()).toBe('￥3,800');

    // The history shows both movements, newest first; a filter narrows it.
    await page.getByRole('link', { name: 'History' }).click();
    await page.getByRole('heading', { name: 'History', level: 1 }).waitFor();
    const rows = page.getByTestId('movements').locator('li');
    await expect.poll(() => rows.allTextContents()).toEqual([
      expect.stringMatching(/^Payment.*Shibuya.*-￥1,200$/), expect.stringMatching(/^Cash top-up.*\+￥5,000$/),
    ]);
    await page.getByLabel('Type').selectOption('payment');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await expect.poll(() => rows.count()).toBe(1);
    await look(page, 'wallet-history');

    // The CSV has the same filter, a byte-order mark for Excel, and the payment.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download as CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('konpay-history.csv');
    const csv = await readFile(await download.path());
    expect(csv.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = csv.toString('utf8').slice(1).trimEnd().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/,payment,out,-1200,posted,Shibuya \d+$/);
    expect(errors).toEqual([]);
  }, 90_000);

  it('counts wrong PINs down, turns the PIN off at the fifth, and asks for the password to choose a new one later', async () => {
    const { page } = await world.phone('en-US');
    const errors = consoleErrors(page);
    const who = await signUpIn(world, page, 'payer');
    await page.goto('/app/pay');
    await page.getByLabel('App PIN').fill('2580');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await setPinOnScreen(page, '2580');
    await page.getByTestId('code-digits').waitFor();

    // Coming back to the screen locks it again.
    await page.reload();
    for (let remaining = 4; remaining >= 1; remaining--) {
      await page.getByLabel('App PIN').fill('9731');
      await page.getByRole('button', { name: 'Unlock' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain(`Tries left: ${remaining}.`);
    }
    await look(page, 'wallet-pay-wrong-pin');
    await page.getByLabel('App PIN').fill('9731');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('The app PIN was turned off');

    // Signed in more than 5 minutes ago: a new PIN needs the password first.
    await world.t.konpay.pool.query(
      `UPDATE sessions SET authenticated_at = authenticated_at - interval '10 minutes' WHERE user_id = (SELECT id FROM users WHERE email = $1)`, [who.email]);
    await setPinOnScreen(page, '3690');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('confirm your password');
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Set the PIN and unlock' }).click();
    await page.getByTestId('code-digits').waitFor();
    expect(await codeOnScreen(page)).toMatch(/^99\d{18}$/);
    expect(errors).toEqual([]);
  }, 60_000);
});
