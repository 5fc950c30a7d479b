/**
 * The wallet after an operator forced every password to be replaced (`npm run ops --
 * passwords force-reset`): the phone's session has ended, signing in on the remembered
 * phone with the old password leads to the new-password screen and nowhere else, and a
 * new password opens the wallet again. Saved as docs/screenshots/wallet-reset-required*.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesTo } from '../harness/customer.js';
import { consoleErrors, look, signUpIn, startWebWorld, type WebWorld } from './harness.js';
import { driveForcedReset, startForcedReset } from '../../src/identity/forced-reset/service.js';
import { systemClock } from '../../src/shared/clock.js';

let world: WebWorld;
beforeAll(async () => {
  world = await startWebWorld();
});
afterAll(async () => {
  await world?.stop();
});

describe('a forced password reset in the wallet', () => {
  it('signs the phone out; the old password on the remembered phone leads only to the new-password screen, then home', async () => {
    const { page } = await world.phone('en-US');
    const errors = consoleErrors(page);
    const who = await signUpIn(world, page, 'reset');
    await page.goto('/app/');
    await page.getByRole('heading', { name: 'Your wallet' }).waitFor();

    const t = world.t.konpay;
    const deps = { pool: t.pool, clock: systemClock, notifier: t.notifier, publicUrl: world.base };
    const run = await startForcedReset(deps, { reason: 'Credential stuffing incident', since: null, startedBy: 'test' });
    if (run.kind !== 'started') throw new Error(run.kind);
    await driveForcedReset(deps, run.run.id, { batchSize: 100 });
    await expect.poll(async () => (await messagesTo(world.t, who.email)).map((m) => m.subject)).toContain('Konpay: please choose a new password');

    // The session ended: the wallet asks to sign in. The remembered phone needs no SMS code.
    await page.goto('/app/pay');
    await page.getByLabel('E-mail address or mobile number').fill(who.email);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/app/reset-password');
    await look(page, 'wallet-reset-required');

    // Nothing else opens, by path or by API.
    await page.goto('/app/pay');
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    const wallet = await page.request.get('/v1/wallet');
    expect([wallet.status(), ((await wallet.json()) as { code: string }).code]).toEqual([403, 'password_reset_required']);

    await page.getByLabel('New password').fill('hoshi-zora 77 tanuki');
    await page.getByRole('button', { name: 'Change the password' }).click();
    await page.getByRole('heading', { name: 'Your wallet' }).waitFor();
    expect((await page.request.get('/v1/wallet')).status()).toBe(200);
    expect(errors).toEqual([]);
  }, 120_000);
});
