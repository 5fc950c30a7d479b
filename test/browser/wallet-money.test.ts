/**
 * The wallet's money screens in a real browser against the real server and its card
 * network simulator (on its own port: another origin, as a real network is): adding a
 * card on the network's own form with the issuer's 3-D Secure challenge (the code from
 * the dev outbox's SMS), a wrong code and refused cards explained, a ¥3,000 top-up with
 * its challenge reaching the balance, a top-up over the limit refused with the limit in
 * yen, a retry after a lost answer that tops up once, removing a card, and cooling-off
 * and a frozen wallet explained. Each main screen passes axe and is saved at 390×844
 * (docs/screenshots/wallet-cards*.png, wallet-topup*.png).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleErrors, look, signUpIn, startWebWorld, type WebWorld } from './harness.js';
import { addCardInBrowser, chooseAmount, passChallengeInBrowser, smsCount, TEST_CARDS, topUpInBrowser } from './money.js';

let world: WebWorld;
beforeAll(async () => {
  world = await startWebWorld();
});
afterAll(async () => {
  await world?.stop();
});

/** Every alert region's text: the screen's and the form's. */
const alertText = async (page: Page) => (await page.getByRole('alert').allTextContents()).join(' ');

describe('wallet money screens', () => {
  it('adds a card on the network\'s form through the issuer\'s challenge, then tops up ¥3,000 with its own challenge', async () => {
    const { page } = await world.phone('en-US');
    const errors = consoleErrors(page);
    // Every request the page makes: the card number must go to the card network only.
    const toKonpay: string[] = [];
    page.on('request', (r) => {
      if (r.url().startsWith(world.base)) toKonpay.push(`${r.url()} ${r.postData() ?? ''}`);
    });
    await signUpIn(world, page, 'money');
    await page.goto('/app/');
    await page.getByRole('link', { name: 'Cards' }).click();
    await page.getByRole('heading', { name: 'Cards', level: 1 }).waitFor();
    await page.getByText('No card yet').waitFor();
    await look(page, 'wallet-cards-empty');

    // A wrong code first: the issuer's page refuses it and says how many tries are left.
    // Fixed card details (this file has a database of its own), so the screenshots stay the same from run to run.
    const { outcome, holder, last4 } = await addCardInBrowser(world, page, {
      number: TEST_CARDS.challenge, holder: { phone: '090-2468-1357', phoneE164: '+819024681357' },
      challenge: { wrongCodes: ['000001'] },
      onPage: async (step) => {
        if (step === 'card-form') await look(page, 'wallet-cards-network-form');
        if (step === 'challenge') await look(page, 'wallet-cards-3ds-challenge');
        if (step === 'returned') {
          expect(await page.locator('h1').textContent()).toBe('カードを登録しました');
          await look(page, 'wallet-cards-3ds-return');
        }
      },
    });
    expect(outcome).toContain(`Visa •••• ${last4} was added`);
    // The card form's token is taken off the address bar once used.
    expect(new URL(page.url()).search).toBe('');
    await expect.poll(() => page.getByTestId('cards').locator('li').allTextContents()).toEqual([
      expect.stringMatching(/^Visa •••• 2008Expires 12\/2031Ready for top-ups/),
    ]);
    await look(page, 'wallet-cards');
    expect(toKonpay.join('\n')).not.toContain(TEST_CARDS.challenge);

    // Top up: the limits are explained before anything is asked.
    await page.getByRole('link', { name: 'Top up from a card' }).click();
    await page.getByRole('heading', { name: 'Top up', level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId('limits').textContent()).toContain('Each card top-up: ￥1,000 to ￥30,000.');
    expect(await page.getByTestId('limits').textContent()).toContain('you can still add ￥50,000 now');
    await expect.poll(() => page.getByRole('button', { name: 'Top up ￥3,000' }).count()).toBe(1);
    await look(page, 'wallet-topup');

    const done = await topUpInBrowser(world, page, {
      amount: 3000, holder,
      onPage: async (step) => {
        if (step === 'challenge') expect(await page.locator('main, body').first().textContent()).toContain('¥3,000');
      },
    });
    expect(done).toContain('Top-up complete');
    expect(done).toContain('￥3,000');
    await expect.poll(() => page.getByTestId('new-balance').textContent()).toBe('￥3,000');
    await look(page, 'wallet-topup-done');
    await page.getByRole('link', { name: 'Back to your wallet' }).first().click();
    await expect.poll(() => page.getByTestId('balance').textContent()).toBe('￥3,000');
    expect(errors).toEqual([]);
  }, 120_000);

  it('explains a refused card (declined, 3-D Secure failed) and removes a card after asking', async () => {
    const { page } = await world.phone('en-US');
    const errors = consoleErrors(page);
    await signUpIn(world, page, 'money');

    const stolen = await addCardInBrowser(world, page, { number: TEST_CARDS.stolen });
    expect(stolen.outcome).toContain('Visa •••• 5001 could not be added');
    expect(stolen.outcome).toContain('Your card issuer declined the card');
    await look(page, 'wallet-cards-declined');

    const failed = await addCardInBrowser(world, page, { number: TEST_CARDS.challengeFails });
    expect(failed.outcome).toContain('could not confirm it was you (3-D Secure failed)');
    // Neither refused card is listed.
    await expect.poll(() => page.getByText('No card yet').count()).toBe(1);

    const ok = await addCardInBrowser(world, page);
    const card = `Visa •••• ${ok.last4}`;
    expect(ok.outcome).toContain(`${card} was added`);
    await page.getByRole('button', { name: `Remove ${card}` }).click();
    await page.getByText(`Remove ${card} from Konpay?`).waitFor();
    await look(page, 'wallet-cards-remove');
    // Keeping it changes nothing; removing it takes it off the list.
    await page.getByRole('button', { name: 'Keep it' }).click();
    expect(await page.getByTestId('cards').locator('li').count()).toBe(1);
    await page.getByRole('button', { name: `Remove ${card}` }).click();
    await page.getByRole('button', { name: 'Yes, remove it' }).click();
    await expect.poll(() => page.getByTestId('card-outcome').textContent()).toContain(`${card} was removed.`);
    await expect.poll(() => page.getByText('No card yet').count()).toBe(1);
    expect(errors).toEqual([]);
  }, 120_000);

  it('refuses top-ups over the limit with the limit in yen, and a declined top-up charges nothing', async () => {
    const { page } = await world.phone('en-US');
    const errors = consoleErrors(page);
    await signUpIn(world, page, 'money');
    const { holder } = await addCardInBrowser(world, page, { number: TEST_CARDS.insufficientFunds });
    await page.goto('/app/topup');
    const keys: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/v1/topups')) keys.push(r.headers()['idempotency-key'] ?? '');
    });

    await chooseAmount(page, 40_000);
    await page.getByRole('button', { name: 'Top up ￥40,000' }).click();
    await expect.poll(() => alertText(page)).toContain('A card top-up is at most ￥30,000 at a time.');
    await look(page, 'wallet-topup-limit');
    await chooseAmount(page, 500);
    await page.getByRole('button', { name: 'Top up ￥500' }).click();
    await expect.poll(() => alertText(page)).toContain('A card top-up is at least ￥1,000.');
    // Each answered attempt was a new top-up: a new key.
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(2);

    // The card issuer declines: the reason is explained and nothing is charged.
    const declined = await topUpInBrowser(world, page, { amount: 5000, holder });
    expect(declined).toContain('The top-up did not go through');
    expect(declined).toContain('not enough credit available');
    expect(declined).toContain('Nothing was charged');
    await look(page, 'wallet-topup-declined');
    expect((await (await page.request.get('/v1/wallet')).json() as { balance: number }).balance).toBe(0);
    expect(errors).toEqual([]);
  }, 120_000);

  it('retries a top-up whose answer was lost with the same Idempotency-Key: one top-up, credited once', async () => {
    // No service worker on this phone: once the wallet's worker controls the page, the
    // page's requests are no longer routed through `page.route` (a Playwright limit), and
    // the lost answer below would sometimes not be lost at all.
    const { page } = await world.phone('en-US', { serviceWorkers: 'block' });
    await signUpIn(world, page, 'money');
    const { holder } = await addCardInBrowser(world, page);
    await page.goto('/app/topup');
    const keys: string[] = [];
    let lose = true;
    // The request reaches Konpay, which starts the top-up, but its answer never arrives.
    await page.route('**/v1/topups', async (route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (!lose) return route.continue();
      lose = false;
      await route.fetch();
      await route.abort('connectionreset');
    });
    const sent = await smsCount(world, holder.phoneE164);
    await chooseAmount(page, 5000);
    await page.getByRole('button', { name: 'Top up ￥5,000' }).click();
    await expect.poll(() => alertText(page), { timeout: 20_000 }).toContain('No connection to Konpay');
    const topups = async () => (await world.t.konpay.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM card_topups`)).rows[0]!.n;
    const before = await topups();
    expect(before).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.waitForURL(/\/cardnet\/acs\//);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    // The replay answered the first top-up: no second one was made.
    expect(await topups()).toBe(before);
    await passChallengeInBrowser(world, page, holder, sent);
    await page.locator('a[href^="/app/topup"]').click();
    await expect.poll(() => page.getByTestId('new-balance').textContent(), { timeout: 20_000 }).toBe('￥5,000');
  }, 120_000);

  it('explains cooling-off after a new device and a frozen wallet instead of offering card top-ups', async () => {
    const { page } = await world.phone('en-US');
    const who = await signUpIn(world, page, 'money');
    await world.t.konpay.pool.query(`UPDATE users SET restricted_until = now() + interval '20 hours' WHERE email = $1`, [who.email]);
    await page.goto('/app/topup');
    await expect.poll(() => page.getByTestId('restricted').textContent()).toContain('Card top-ups are paused until');
    expect(await page.locator('input[name=amount]').count()).toBe(0);
    // Cash at the register still works, and the screen says how.
    await page.getByRole('heading', { name: 'No card? Top up with cash' }).waitFor();
    await look(page, 'wallet-topup-restricted');
    await page.goto('/app/cards');
    await expect.poll(() => page.locator('.notice').textContent()).toContain('card top-ups are paused until');

    await world.t.konpay.pool.query(`UPDATE users SET frozen_at = now() WHERE email = $1`, [who.email]);
    await page.goto('/app/topup');
    await expect.poll(() => page.locator('.notice').textContent()).toContain('This wallet is frozen');
    await page.goto('/app/cards');
    await expect.poll(() => page.locator('.notice').textContent()).toContain('This account is frozen');
    expect(await page.locator('a[href*="/cardnet/card-form"]').count()).toBe(0);
  }, 60_000);

  it('shows the screens in Japanese, yen the Japanese way', async () => {
    const { page } = await world.phone('ja-JP');
    await signUpIn(world, page, 'money');
    await page.goto('/app/topup');
    await page.getByRole('heading', { name: 'チャージ', level: 1 }).waitFor();
    await expect.poll(() => page.locator('.no-card').textContent()).toContain('確認済みのカードがまだありません');
    await expect.poll(() => page.locator('.cash').textContent()).toContain('￥1,000単位で1回￥49,000まで');
    await look(page, 'wallet-topup-ja');
  }, 60_000);
});
