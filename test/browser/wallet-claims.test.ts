/**
 * Reporting unauthorised use in the wallet (OPS-3), in a real browser: the customer signs
 * in on a new phone, goes from the history to "Report unauthorised use", ticks a payment
 * and says what happened; the report is a claim case for the analysts. Then the analyst's
 * approval shows in the history as "Compensation". Passes axe; saved at 390×844
 * (docs/screenshots/wallet-claim*.png).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/shared/clock.js';
import { decide } from '../../src/cases/decide.js';
import { fromPublicId } from '../../src/shared/ids.js';
import { spender, type Spender } from '../harness/cases.js';
import { codeSentTo, look, startWebWorld, type WebWorld } from './harness.js';
import { smsCount } from './money.js';

let world: WebWorld;
let victim: Spender;

beforeAll(async () => {
  world = await startWebWorld();
  victim = await spender(world.t, 10_000, [1280, 640]);
});
afterAll(() => world?.stop());

describe('wallet: report unauthorised use', () => {
  it('reports a payment from the history; an approved claim shows as Compensation', async () => {
    const { t } = world;
    const { page } = await world.phone('en-US');
    await page.goto('/app/');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    // The sign-up's SMS code is already in the outbox: wait for the sign-in's own.
    const smsBefore = await smsCount(world, victim.phoneE164);
    await page.getByLabel('E-mail address or mobile number').fill(victim.email);
    await page.getByLabel('Password').fill(victim.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Confirm it is you' }).waitFor();
    await expect.poll(() => smsCount(world, victim.phoneE164)).toBeGreaterThan(smsBefore);
    await page.getByLabel('Code from the SMS').fill(await codeSentTo(world, victim.phoneE164, 'sms'));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('heading', { name: 'Your wallet' }).waitFor();

    await page.goto('/app/history');
    await page.getByRole('link', { name: 'Report unauthorised use' }).click();
    await page.getByRole('heading', { name: 'Report unauthorised use', level: 1 }).waitFor();
    const payment = page.getByRole('checkbox', { name: /￥1,280|¥1,280/ });
    await payment.check();
    await page.getByLabel('What happened').fill('My phone was at home; I was on a plane.');
    await look(page, 'wallet-claim');
    // Nothing ticked: explained, nothing sent.
    await payment.uncheck();
    await page.getByRole('button', { name: 'Send the report' }).click();
    await page.getByRole('alert').filter({ hasText: 'Tick at least one payment' }).waitFor();
    await payment.check();
    await page.getByRole('button', { name: 'Send the report' }).click();
    await expect.poll(() => page.getByTestId('claim-sent').textContent()).toContain('We will tell you the outcome by e-mail');
    const text = (await page.getByTestId('claim-sent').textContent())!;
    const claimId = /cas_[0-9a-f]{32}/.exec(text)![0];
    await look(page, 'wallet-claim-sent');

    const r = await decide({ pool: t.konpay.pool, clock: systemClock, compensationApprovalYen: 10_000 }, { caseId: fromPublicId('cas', claimId)!, decision: 'approved', reason: 'ok', by: 'operator-token' });
    expect(r.kind).toBe('decided');
    await page.goto('/app/history');
    await expect.poll(() => page.getByTestId('movements').textContent()).toContain('Compensation');
    expect(await page.getByTestId('movements').textContent()).toContain('+￥1,280');
  }, 120_000); // a whole browser session on a shared 2-core machine
});
