/**
 * The operations console in a real browser against the real server: an operator signs in
 * with a password and a TOTP code (a wrong code explained first), sees the dashboard's
 * chart of real payments and declines, finds a customer who has paid, reads their
 * devices, sessions, events and movements, freezes them (their session really ends) and
 * asks to unfreeze them, which a second operator at another desk approves (OPS-2) and
 * then checks in the audit log, replays a failed webhook delivery, and flips a kill switch that really
 * stops payments. Every screen passes axe and is saved at 1280×800
 * (docs/screenshots/console-*.png).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Payer } from '../harness/codes.js';
import { bearer } from '../harness/customer.js';
import { totpCode } from '../harness/factors.js';
import { newOperator, type TestOperator } from '../harness/operators.js';
import { codeOf, declineOf, pay, payerWith } from '../harness/payments.js';
import { newTerminal, type TestTerminal } from '../harness/pos.js';
import { startWebhookReceiver, type WebhookReceiver } from '../harness/webhook-receiver.js';
import { opsRequest } from '../harness/webhooks.js';
import { consoleErrors, look, startWebWorld, type WebWorld } from './harness.js';

let world: WebWorld;
let term: TestTerminal;
let payer: Payer;
let op: TestOperator;
let approver: TestOperator;
let receiver: WebhookReceiver;

beforeAll(async () => {
  world = await startWebWorld();
  const { t } = world;
  term = await newTerminal(t);
  // The merchant's endpoint refuses the first delivery: the console shows it failed, then replays it.
  receiver = await startWebhookReceiver();
  receiver.script(500);
  const endpoint = await opsRequest(t, 'POST', `/ops/v1/merchants/${term.merchantId}/webhook-endpoints`, { url: receiver.url });
  expect(endpoint.status).toBe(201);
  payer = await payerWith(t, term, 5000);
  expect((await pay(term, await codeOf(t, payer), 1280)).status).toBe(201);
  expect(declineOf(await pay(term, await codeOf(t, payer), 9000))).toBe('insufficient_balance');
  op = await newOperator(t, 'risk', 'Sato Yui');
  approver = await newOperator(t, 'admin', 'Mori Aoi');
});
afterAll(async () => {
  await receiver?.close();
  await world?.stop();
});

const h1 = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

describe('operations console', () => {
  it('signs in with password and TOTP, charts payments, freezes and unfreezes a customer, replays a webhook and flips a kill switch', async () => {
    const { t } = world;
    const { page } = await world.desk();
    const errors = consoleErrors(page);
    const res = await page.goto('/console/');
    expect(res?.headers()['content-security-policy']).toContain("style-src 'self'");

    // Sign-in, in Japanese first (the desk's browser language).
    await expect.poll(() => h1(page)).toBe('オペレーターのサインイン');
    await look(page, 'console-signin');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Operator sign-in' }).waitFor();
    await page.getByLabel('E-mail address').fill(op.email);
    await page.getByLabel('Password').fill(op.password);
    const code = await totpCode(op.secret, new Date());
    await page.getByLabel('Authenticator code').fill(String((Number(code) + 1) % 1_000_000).padStart(6, '0'));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('password or authenticator code is not right');
    await look(page, 'console-signin-refused');
    await page.getByLabel('Authenticator code').fill(code);
    await page.getByRole('button', { name: 'Sign in' }).click();

    // The dashboard: the chart drawn under the CSP, and the same numbers as text.
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    expect(await page.getByTestId('operator').textContent()).toBe('Sato Yui · risk');
    await expect.poll(() => page.getByTestId('totals').textContent()).toBe('Last 24 hours: payments 1 (￥1,280) · declines 1');
    await page.locator('[data-testid="chart"] canvas').first().waitFor();
    expect(await page.getByTestId('reasons').textContent()).toContain('insufficient_balance');
    // The session cookie is out of the page's reach.
    expect(await page.evaluate('document.cookie')).not.toContain('konpay_ops');
    await look(page, 'console-dashboard');

    // Find the customer by phone number as typed on the phone.
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByLabel('E-mail address, mobile number or customer id').fill(payer.phone);
    await look(page, 'console-search');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('heading', { name: `Customer ${payer.email}` }).waitFor();
    expect(page.url()).toContain(`/console/customers/${payer.userId}`);
    expect(await page.getByTestId('balance').textContent()).toBe('￥3,720');
    expect(await page.getByTestId('devices').textContent()).toContain('Test phone');
    expect(await page.getByTestId('sessions').textContent()).toContain('bearer');
    expect(await page.getByTestId('events').textContent()).toContain('account_created');
    const movements = await page.getByTestId('movements').textContent();
    expect(movements).toContain('-￥1,280');
    expect(movements).toContain('topup_cash');
    await look(page, 'console-customer');

    // Freeze, with a reason and a confirmation: the customer's session really ends.
    await page.getByLabel('Reason').fill('Customer called: phone stolen on the train');
    await page.getByRole('button', { name: 'Freeze…' }).click();
    await page.getByRole('button', { name: 'Yes, freeze the account' }).waitFor();
    await look(page, 'console-freeze-confirm');
    await page.getByRole('button', { name: 'Yes, freeze the account' }).click();
    await expect.poll(() => page.getByTestId('freeze-done').textContent()).toBe('Frozen. 1 session(s) ended.');
    await expect.poll(() => page.getByTestId('state').textContent()).toContain('Frozen since');
    expect(await page.getByTestId('sessions').textContent()).toContain('None');
    expect((await t.konpay.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(payer.token) })).statusCode).toBe(401);
    await look(page, 'console-customer-frozen');

    // Unfreeze (a risk operator may ask), again with a reason: it needs a second operator (OPS-2).
    await page.getByRole('heading', { name: 'Unfreeze this account' }).waitFor();
    await page.getByLabel('Reason').fill('Customer found the phone; identity checked');
    await page.getByRole('button', { name: 'Unfreeze…' }).click();
    await page.getByRole('button', { name: 'Yes, unfreeze the account' }).click();
    await expect.poll(() => page.getByTestId('freeze-done').textContent()).toBe('Unfreeze requested: a second operator must approve it (Approvals).');
    await expect.poll(() => page.getByTestId('unfreeze-pending').textContent()).toContain('Unfreeze requested by Sato Yui');
    expect(await page.getByTestId('state').textContent()).toContain('Frozen since');
    await look(page, 'console-unfreeze-requested');
    // The requester's own queue offers no Approve, only Withdraw.
    await page.getByRole('link', { name: 'Approvals' }).click();
    const mine = page.getByTestId('approvals').getByRole('row').filter({ hasText: payer.userId });
    await expect.poll(() => mine.textContent()).toContain('Your request: another operator decides.');
    expect(await mine.getByRole('button', { name: 'Approve' }).count()).toBe(0);

    // A second operator, at another desk, approves it: the freeze is lifted.
    const second = await world.desk();
    const secondErrors = consoleErrors(second.page);
    await second.page.goto('/console/approvals');
    await second.page.getByRole('button', { name: 'English' }).click();
    await second.page.getByLabel('E-mail address').fill(approver.email);
    await second.page.getByLabel('Password').fill(approver.password);
    await second.page.getByLabel('Authenticator code').fill(await totpCode(approver.secret, new Date()));
    await second.page.getByRole('button', { name: 'Sign in' }).click();
    await second.page.getByRole('heading', { name: 'Waiting for a second operator', level: 1 }).waitFor();
    const request = second.page.getByTestId('approvals').getByRole('row').filter({ hasText: payer.userId });
    await expect.poll(() => request.textContent()).toContain('Sato Yui');
    await look(second.page, 'console-approvals');
    await request.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => second.page.getByTestId('approval-done').textContent()).toBe('Approved and done.');
    expect((await t.db.pool.query('SELECT frozen_at FROM users WHERE id = $1', [payer.uid])).rows[0]).toEqual({ frozen_at: null });
    // The admin reads the audit log, whose chain is intact and names both operators.
    await second.page.getByRole('link', { name: 'Audit log' }).click();
    await expect.poll(() => second.page.getByTestId('audit-chain').textContent()).toContain('Chain intact');
    // The entries arrive apart from the chain's check.
    await expect.poll(() => second.page.getByTestId('audit').textContent()).toContain('approval.approve');
    expect(await second.page.getByTestId('audit').textContent()).toContain(op.id);
    await look(second.page, 'console-audit');
    expect(secondErrors).toEqual([]);
    await second.context.close();
    // Back at the first desk, the customer shows unfrozen.
    await page.goto(`/console/customers/${payer.userId}`);
    await expect.poll(() => page.getByTestId('state').textContent()).not.toContain('Frozen');

    // Webhooks: the payment's delivery was refused (retrying); replay it and it arrives.
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByLabel('Merchant').selectOption(term.merchantId);
    const deliveries = page.getByTestId('deliveries');
    await expect.poll(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      return deliveries.textContent();
    }, { timeout: 15_000 }).toContain('retrying');
    const eventId = (await deliveries.getByRole('row').filter({ hasText: 'retrying' }).locator('code').textContent())!;
    expect(eventId).toMatch(/^evt_/);
    const received = receiver.requests.length;
    await page.getByRole('button', { name: `Replay ${eventId}` }).click();
    await expect.poll(() => page.getByTestId('replay-done').textContent()).toBe(`Event ${eventId} queued again for 1 endpoint(s).`);
    await expect.poll(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      return deliveries.getByRole('row').filter({ hasText: eventId }).filter({ hasText: 'delivered' }).count();
    }, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
    expect(receiver.requests.length).toBeGreaterThan(received);
    await look(page, 'console-webhooks');

    // Kill switch: payments off at every store, with a reason; a payment is really refused.
    await page.getByRole('link', { name: 'Kill switches' }).click();
    await page.getByTestId('switches').waitFor();
    await page.getByLabel('Feature', { exact: true }).selectOption('payments');
    await page.getByLabel('Off (stop the feature)').check();
    await page.getByLabel('Reason').fill('Card-testing wave at the tills');
    await page.getByRole('button', { name: 'Apply…' }).click();
    await page.getByRole('button', { name: 'Yes, apply' }).click();
    await expect.poll(() => page.getByTestId('switch-done').textContent()).toBe('Payments: Off (All stores).');
    const row = page.getByTestId('switches').getByRole('row').filter({ hasText: 'Card-testing wave' });
    expect(await row.textContent()).toContain(op.id);
    await look(page, 'console-switches');
    await expect.poll(async () => (await pay(term, `99${'1'.repeat(18)}`, 100)).status, { timeout: 10_000 }).toBe(503);
    // And on again.
    await page.getByLabel('On (resume the feature)').check();
    await page.getByLabel('Reason').fill('Wave over');
    await page.getByRole('button', { name: 'Apply…' }).click();
    await page.getByRole('button', { name: 'Yes, apply' }).click();
    await expect.poll(() => page.getByTestId('switch-done').textContent()).toBe('Payments: On (All stores).');

    // Sign out: back to sign-in, and the old cookie is dead.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Operator sign-in' }).waitFor();
    await page.goto('/console/customers');
    await page.getByRole('heading', { name: 'Operator sign-in' }).waitFor();
    expect(errors).toEqual([]);
  }, 120_000); // two desks and a dozen screens: slow on a loaded machine
});
