/**
 * The case queue and a case in a real browser (RISK-2, OPS-3): a risk operator signs in,
 * reads the queue (a risk hold and a customer's claim), opens the claim with the customer's
 * words, the signals as a table and the disputed payment, approves it with a reason and a
 * confirmation, and the wallet is credited once. The dashboard's risk chart is drawn.
 * Each screen passes axe and is saved at 1280×800 (docs/screenshots/console-case*.png).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../../src/db/tx.js';
import { openCase } from '../../src/cases/open.js';
import { toPublicId } from '../../src/shared/ids.js';
import { fileClaimRequest, spender, walletBalance, type Spender } from '../harness/cases.js';
import { totpCode } from '../harness/factors.js';
import { newOperator, type TestOperator } from '../harness/operators.js';
import { look, startWebWorld, type WebWorld } from './harness.js';

let world: WebWorld;
let victim: Spender;
let claimId: string;
let holdId: string;
let op: TestOperator;

beforeAll(async () => {
  world = await startWebWorld();
  const { t } = world;
  victim = await spender(t, 10_000, [1280, 640]);
  const { caseId } = await withTransaction(t.konpay.pool, (q) => openCase(q, {
    kind: 'risk_hold', userId: victim.uid, subject: { type: 'topup', id: 'top_019ab5c4e2d07c3a9e51f0b2d4c6a8e9' },
    reasons: ['topup_velocity', 'new_device'], evidence: { score: 85, signals: { topupsLastHour: 6, deviceAgeMinutes: 3, ip: '203.0.113.7' } }, now: new Date(),
  }));
  holdId = toPublicId('cas', caseId);
  const filed = await fileClaimRequest(t, victim.token, { movementIds: [victim.payments[0]], description: 'I was at home asleep; my phone was on the table.' });
  expect(filed.statusCode, filed.body).toBe(201);
  claimId = (filed.json() as { claimId: string }).claimId;
  op = await newOperator(t, 'risk', 'Sato Yui');
});
afterAll(() => world?.stop());

function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().includes('status of 4')) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

describe('console cases', () => {
  it('lists the queue, shows a claim with its evidence, approves it once with a reason and confirmation', async () => {
    const { t } = world;
    const { page } = await world.desk();
    const errors = pageErrors(page);
    await page.goto('/console/');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByLabel('E-mail address').fill(op.email);
    await page.getByLabel('Password').fill(op.password);
    await page.getByLabel('Authenticator code').fill(await totpCode(op.secret, new Date()));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Risk decisions and open cases per hour' }).waitFor();
    expect(await page.locator('[data-testid="chart"] canvas').count()).toBe(2);

    await page.getByRole('link', { name: 'Cases' }).click();
    await page.getByRole('heading', { name: 'Case queue', level: 1 }).waitFor();
    const queue = page.getByTestId('cases');
    await expect.poll(() => queue.textContent()).toContain('topup_velocity');
    // Oldest first: the hold, then the claim.
    const opens = await queue.getByRole('link').evaluateAll((links) => links.map((l) => l.getAttribute('aria-label')?.split(' · case ')[1]));
    expect(opens).toEqual([holdId, claimId]);
    expect(await page.getByTestId('monthly').textContent()).toContain('Claims opened');
    await look(page, 'console-cases');

    // The hold's signals as a readable table.
    await page.getByRole('link', { name: `case ${holdId}` }).click();
    await page.getByRole('heading', { name: `Case ${holdId}`, level: 1 }).waitFor();
    const evidence = (await page.getByTestId('evidence').textContent())!;
    expect(evidence).toContain('signals.topupsLastHour');
    expect(evidence).toContain('203.0.113.7');
    await look(page, 'console-case');
    await page.getByRole('button', { name: 'Back to the queue' }).click();

    // The claim: the customer's words, the disputed payment, then the decision.
    await page.getByRole('link', { name: `case ${claimId}` }).click();
    await page.getByRole('heading', { name: `Case ${claimId}`, level: 1 }).waitFor();
    expect(await page.getByTestId('claim-text').textContent()).toBe('I was at home asleep; my phone was on the table.');
    expect(await page.getByTestId('disputed').textContent()).toContain('￥1,280');
    expect(await page.getByTestId('recent').textContent()).toContain('FamilyMart Shibuya');
    await page.getByRole('button', { name: 'Assign to me' }).click();
    await expect.poll(() => page.getByTestId('case-assigned').textContent()).toBe(op.id);
    await page.getByRole('textbox', { name: 'Reason' }).fill('New device in another prefecture, customer confirmed by phone');
    await look(page, 'console-case-claim');
    await page.getByRole('button', { name: 'Decide…' }).click();
    await page.getByRole('button', { name: 'Yes, decide' }).waitFor();
    const before = await walletBalance(t, victim.uid);
    await page.getByRole('button', { name: 'Yes, decide' }).click();
    await expect.poll(() => page.getByTestId('decide-done').textContent()).toBe('Decided: approved.');
    await expect.poll(() => page.getByTestId('case-status').textContent()).toBe('approved');
    expect(await walletBalance(t, victim.uid)).toBe(before + 1280);
    await look(page, 'console-case-approved');
    expect(errors).toEqual([]);
  }, 120_000); // a whole browser session on a shared 2-core machine
});
