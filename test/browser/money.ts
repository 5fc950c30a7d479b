/**
 * The money steps of a customer's journey, in a real browser: adding a card through the
 * card network's own form and the issuer's 3-D Secure challenge, and a card top-up with
 * its challenge. For any test that needs them (wallet-money.test.ts, the full journey).
 *
 * They find the app's controls by what they are (the link to the card network's form,
 * the amount's radio, the return page's link back), not by their words, so they work in
 * either language. The card network's pages are in English only.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { messagesTo, newCustomer } from '../harness/customer.js';
import { uniqueCard } from '../harness/wallet.js';
import type { WebWorld } from './harness.js';

/** The simulator's test cards (src/cardnet/test-cards.ts; public test numbers, not real cards). */
export const TEST_CARDS = {
  challenge: '4000000000002008',
  challengeFails: '4000000000003006',
  insufficientFunds: '4000000000004004',
  stolen: '4000000000005001',
} as const;

/**
 * A card number no other account holds (Luhn-valid; the network challenges it and then
 * authorises): a fixed test number active on one account is refused on every other
 * (`card_in_use_elsewhere`), so each customer of a test file needs a card of its own.
 */
export const uniqueCardNumber = uniqueCard;

/** The phone the card issuer has for the holder: its 3-D Secure codes are sent there. */
export interface CardHolder { phone: string; phoneE164: string }

export const newCardHolder = (): CardHolder => {
  const { phone, phoneE164 } = newCustomer('holder');
  return { phone, phoneE164 };
};

/** SMS the holder's phone has received so far (pass to `issuerCode` to wait for the next one). */
export const smsCount = async (world: WebWorld, to: string) => (await messagesTo(world.t, to)).filter((m) => m.channel === 'sms').length;

/**
 * The issuer's newest code to the holder, once more SMS have arrived than `before`: a
 * second challenge must not be answered with the first one's code.
 */
export async function issuerCode(world: WebWorld, holder: CardHolder, before: number): Promise<string> {
  let body: string | undefined;
  await expect.poll(async () => {
    const sms = (await messagesTo(world.t, holder.phoneE164)).filter((m) => m.channel === 'sms');
    body = sms.length > before ? sms[0]!.body : undefined;
    return body;
  }, { timeout: 10_000 }).toBeDefined();
  return /\b(\d{6})\b/.exec(body!)![1]!;
}

/** How the challenge is answered: the code from the SMS, a given (wrong) code first, or not at all. */
export interface ChallengeAnswer {
  /** Typed before the right code, each refused by the issuer's page. */
  wrongCodes?: string[];
}

/**
 * On the issuer's challenge page: type the code from the SMS (after any wrong ones) and
 * come back to Konpay's return page. Returns the return page's heading.
 */
export async function passChallengeInBrowser(world: WebWorld, page: Page, holder: CardHolder, before: number, answer: ChallengeAnswer = {}): Promise<string> {
  await page.waitForURL(/\/cardnet\/acs\//);
  const code = await issuerCode(world, holder, before);
  for (const wrong of answer.wrongCodes ?? []) {
    await page.locator('#code').fill(wrong);
    await page.locator('button[type=submit]').click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not right');
  }
  await page.locator('#code').fill(code);
  await page.locator('button[type=submit]').click();
  await page.waitForURL(/\/3ds-return(\?|$)/);
  return (await page.locator('h1').textContent()) ?? '';
}

export interface AddCardOptions {
  /** A test card (TEST_CARDS) or, by default, a fresh number that the issuer challenges and approves. */
  number?: string;
  cvc?: string;
  holder?: CardHolder;
  challenge?: ChallengeAnswer;
  /** Called on the card network's form (filled in) and on the challenge page, e.g. to take screenshots. */
  onPage?(step: 'card-form' | 'challenge' | 'returned'): Promise<void>;
}

/**
 * Adds a card from the wallet's cards screen: the network's hosted form, the issuer's
 * challenge, the return page, and back into the app. Returns the outcome the app shows.
 */
export async function addCardInBrowser(world: WebWorld, page: Page, opts: AddCardOptions = {}): Promise<{ outcome: string; holder: CardHolder; last4: string }> {
  const holder = opts.holder ?? newCardHolder();
  const number = opts.number ?? uniqueCardNumber();
  if (!new URL(page.url()).pathname.startsWith('/app/cards')) await page.goto('/app/cards');
  await page.locator('a[href*="/cardnet/card-form"]').click();
  await page.waitForURL(/\/cardnet\/card-form/);
  await page.locator('#number').fill(number);
  await page.locator('#expMonth').fill('12');
  await page.locator('#expYear').fill('2031');
  await page.locator('#cvc').fill(opts.cvc ?? '123');
  await page.locator('#holderName').fill('HANAKO YAMADA');
  await page.locator('#phone').fill(holder.phone);
  await opts.onPage?.('card-form');
  const before = await smsCount(world, holder.phoneE164);
  await page.locator('button[type=submit]').click();
  // The app takes the token and sends the browser on to the issuer's challenge.
  await page.waitForURL(/\/cardnet\/acs\//);
  await page.locator('#code').waitFor();
  await opts.onPage?.('challenge');
  await passChallengeInBrowser(world, page, holder, before, opts.challenge);
  await opts.onPage?.('returned');
  await page.locator('a[href^="/app/cards"]').click();
  const outcome = page.getByTestId('card-outcome');
  await outcome.waitFor();
  return { outcome: (await outcome.textContent()) ?? '', holder, last4: number.slice(-4) };
}

export interface TopUpOptions {
  /** One of the presets (1000, 3000, 5000, 10000) or any other amount, typed in. */
  amount: number;
  holder: CardHolder;
  onPage?(step: 'form' | 'challenge' | 'returned'): Promise<void>;
}

/** Picks the amount on the top-up screen (a preset's radio, or "other" and the amount typed). */
export async function chooseAmount(page: Page, amount: number): Promise<void> {
  const preset = page.locator(`input[name=amount][value="${amount}"]`);
  if (await preset.count()) return preset.check();
  await page.locator('input[name=amount][value=other]').check();
  await page.locator('#topup-other').fill(String(amount));
}

/**
 * A card top-up from the wallet's top-up screen with the first card, through the issuer's
 * challenge and back into the app; returns the outcome the app shows once it has ended.
 */
export async function topUpInBrowser(world: WebWorld, page: Page, opts: TopUpOptions): Promise<string> {
  if (new URL(page.url()).pathname !== '/app/topup') await page.goto('/app/topup');
  await page.locator('input[name=amount]').first().waitFor();
  await chooseAmount(page, opts.amount);
  await opts.onPage?.('form');
  const before = await smsCount(world, opts.holder.phoneE164);
  await page.locator('form button[type=submit]').click();
  await page.waitForURL(/\/cardnet\/acs\//);
  await page.locator('#code').waitFor();
  await opts.onPage?.('challenge');
  await passChallengeInBrowser(world, page, opts.holder, before);
  await opts.onPage?.('returned');
  await page.locator('a[href^="/app/topup"]').click();
  const outcome = page.getByTestId('topup-outcome');
  // Processing first, perhaps: wait for the end.
  await expect.poll(async () => (await outcome.count()) && !(await outcome.getAttribute('class'))?.includes('progress')
    ? 'ended' : 'waiting', { timeout: 20_000 }).toBe('ended');
  return (await outcome.textContent()) ?? '';
}
