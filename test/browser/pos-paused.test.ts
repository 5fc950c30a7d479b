/**
 * The POS page when Konpay operations have switched payments or cash top-ups off (OPS-1):
 * the cashier is told it is paused by Konpay and not the customer's fault (not "no
 * answer", although the API answers 503), and the same code works once switched on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceOfUser } from '../harness/cash.js';
import type { Payer } from '../harness/codes.js';
import { codeOf, payerWith } from '../harness/payments.js';
import { newTerminal, type TestTerminal } from '../harness/pos.js';
import { setSwitch } from '../harness/switches.js';
import { expectAccessible, startWebWorld, type WebWorld } from './harness.js';

let world: WebWorld;
let term: TestTerminal;
let payer: Payer;
beforeAll(async () => {
  world = await startWebWorld();
  term = await newTerminal(world.t);
  payer = await payerWith(world.t, term, 5000);
});
afterAll(async () => {
  await world?.stop();
});

describe('POS page, feature paused', () => {
  it('explains a paused payment and a paused cash top-up to the cashier; the code works once on again', async () => {
    const { page } = await world.desk();
    await page.goto('/pos/');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByLabel('Key id').fill(term.keyId);
    await page.getByLabel('Secret').fill(term.secret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'New sale' }).waitFor();

    await setSwitch(world.t, 'payments', true, term.storeId);
    const code = await codeOf(world.t, payer);
    await page.getByLabel('Amount (yen)').fill('800');
    await page.getByRole('button', { name: 'Next: the customer\'s code' }).click();
    await page.getByLabel('Customer\'s payment code').fill(code);
    await page.getByRole('button', { name: /^Charge / }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Konpay payments are paused by Konpay operations');
    expect(await page.getByRole('alert').textContent()).toContain('not the customer\'s fault');
    expect(await page.getByRole('heading', { name: 'No answer from Konpay' }).count()).toBe(0);
    await expectAccessible(page, 'pos-paused');

    await setSwitch(world.t, 'payments', false, term.storeId);
    await page.getByLabel('Customer\'s payment code').fill(code);
    await page.getByRole('button', { name: /^Charge / }).click();
    await page.getByRole('heading', { name: /Approved/ }).waitFor();
    expect(await balanceOfUser(world.t, payer.uid)).toBe(4200);

    await page.getByRole('button', { name: 'Next sale' }).click();
    await setSwitch(world.t, 'cash_topups', true);
    try {
      await page.getByRole('button', { name: 'Cash top-up' }).click();
      await page.getByLabel('Cash received (yen)').fill('1000');
      await page.getByLabel('Customer\'s payment code').fill(await codeOf(world.t, payer));
      await page.getByRole('button', { name: 'Top up ￥1,000' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('Cash top-ups are paused by Konpay operations');
    } finally {
      await setSwitch(world.t, 'cash_topups', false);
    }
    expect(await balanceOfUser(world.t, payer.uid)).toBe(4200);
  }, 90_000);
});
