/**
 * A customer's whole first day with Konpay, in a real browser against the real server,
 * through the screens only: sign up (codes from the dev outbox) → a passkey on this phone
 * (Chromium's virtual authenticator) → a card added on the card network's page with the
 * issuer's 3-D Secure challenge → a ¥5,000 top-up, challenged again → the pay screen
 * unlocked with the passkey → the code taken by the POS page at a store → approved → the
 * history shows it → a refund at the POS → the history shows the refund.
 *
 * Each screen has its own test (wallet*.test.ts, pos.test.ts) with axe and screenshots;
 * this one proves they join up, with the customer never touching the API.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceOfUser } from '../harness/cash.js';
import { newCustomer } from '../harness/customer.js';
import { newTerminal, type TestTerminal } from '../harness/pos.js';
import { codeSentTo, consoleErrors, startWebWorld, type WebWorld } from './harness.js';
import { addCardInBrowser, topUpInBrowser } from './money.js';
import { addVirtualAuthenticator, enrolPasskey } from './webauthn.js';

let world: WebWorld;
let till: TestTerminal;
beforeAll(async () => {
  // Passkeys need a domain name: WebAuthn refuses an IP address as the relying party.
  world = await startWebWorld({ hostname: 'localhost' });
  till = await newTerminal(world.t);
});
afterAll(async () => {
  await world?.stop();
});

async function signUpOnScreen(page: Page, who: ReturnType<typeof newCustomer>): Promise<void> {
  await page.goto('/app/signup');
  await page.getByLabel('E-mail address').fill(who.email);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Mobile number').fill(who.phone);
  await page.getByRole('button', { name: 'Send the codes' }).click();
  await page.getByLabel('Code from the e-mail').fill(await codeSentTo(world, who.email, 'email'));
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Code from the SMS').fill(await codeSentTo(world, who.phoneE164, 'sms'));
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Your wallet' }).waitFor();
}

async function historyRows(page: Page): Promise<string[]> {
  await page.goto('/app/history');
  await page.getByRole('heading', { name: 'History', level: 1 }).waitFor();
  const rows = page.getByTestId('movements').locator('li');
  await rows.first().waitFor();
  return rows.allTextContents();
}

describe('a customer\'s first day', () => {
  it('signs up, adds a passkey and a card, tops up, pays at a store\'s POS page and gets a refund, all on screen', async () => {
    const phone = await world.phone('en-US');
    const page = phone.page;
    const errors = consoleErrors(page);
    const authenticator = await addVirtualAuthenticator(phone.context, page);
    const who = newCustomer('journey');

    // 1. Sign-up: e-mail, password, phone, both codes.
    await signUpOnScreen(page, who);
    await expect.poll(() => page.getByTestId('balance').textContent()).toBe('￥0');

    // 2. A passkey on this phone, held by its authenticator.
    await enrolPasskey(page, { password: who.password });
    expect(await authenticator.credentials()).toHaveLength(1);

    // 3. A card, typed on the card network's page and confirmed by the issuer's challenge.
    const card = await addCardInBrowser(world, page);
    expect(card.outcome).toContain(`•••• ${card.last4} was added`);

    // 4. ¥5,000 from it, challenged again (every card top-up is).
    const topup = await topUpInBrowser(world, page, { amount: 5000, holder: card.holder });
    expect(topup).toContain('Top-up complete');
    await page.getByRole('link', { name: 'Back to your wallet' }).first().click();
    await expect.poll(() => page.getByTestId('balance').textContent()).toBe('￥5,000');

    // 5. The pay screen opens locked; the passkey unlocks it and the code shows.
    await page.getByRole('link', { name: 'Pay at the till' }).click();
    await page.getByRole('button', { name: 'Unlock with a passkey' }).click();
    const digits = page.getByTestId('code-digits');
    await digits.waitFor();
    const code = ((await digits.textContent()) ?? '').replace(/ /g, '');
    expect(code).toMatch(/^99\d{18}$/);

    // 6. At the store: the cashier's POS page takes ¥1,200 with the code, as a scanner types it.
    const { page: pos } = await world.desk();
    const posErrors = consoleErrors(pos);
    await pos.goto('/pos/');
    await pos.getByRole('button', { name: 'English' }).click();
    await pos.getByLabel('Key id').fill(till.keyId);
    await pos.getByLabel('Secret').fill(till.secret);
    await pos.getByRole('button', { name: 'Sign in' }).click();
    await pos.getByLabel('Amount (yen)').fill('1200');
    await pos.getByRole('button', { name: 'Next: the customer\'s code' }).click();
    await pos.keyboard.type(code);
    await pos.keyboard.press('Enter');
    await pos.getByRole('heading', { name: /Approved/ }).waitFor();
    expect(await pos.getByTestId('paid-amount').textContent()).toBe('￥1,200');

    // 7. The customer's history shows the payment at that store, above the top-up.
    expect(await historyRows(page)).toEqual([
      expect.stringMatching(/^Payment.*Shibuya.*-￥1,200$/), expect.stringMatching(/^Card top-up.*\+￥5,000$/),
    ]);

    // 8. An item comes back: the cashier refunds ¥500 of that payment.
    await pos.getByRole('button', { name: 'Cancel or refund this payment' }).click();
    await expect.poll(() => pos.getByTestId('payment-status').textContent()).toBe('Approved');
    await pos.getByLabel('Amount to refund (yen)').fill('500');
    await pos.getByLabel('Reason (optional, shown to the customer)').fill('Returned item');
    await pos.getByRole('button', { name: 'Refund', exact: true }).click();
    await expect.poll(() => pos.getByTestId('payment-refunded').textContent()).toBe('￥500');

    // 9. The refund is in the history, and the balance is what the receipts add up to.
    await expect.poll(() => historyRows(page)).toEqual([
      expect.stringMatching(/^Refund.*\+￥500$/), expect.stringMatching(/^Payment.*-￥1,200$/), expect.stringMatching(/^Card top-up.*\+￥5,000$/),
    ]);
    await page.goto('/app/');
    await expect.poll(() => page.getByTestId('balance').textContent()).toBe('￥4,300');
    const uid = await world.t.konpay.pool.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [who.email]);
    expect(await balanceOfUser(world.t, uid.rows[0]!.id)).toBe(4300);
    expect(errors).toEqual([]);
    expect(posErrors).toEqual([]);
  }, 180_000);
});
