/**
 * A browser test's world: a real Konpay listening on a free port (its own database, the
 * dev outbox for codes), the built web apps it serves, and one Chromium for the whole file.
 * Each "device" is a fresh browser context: its own cookies and storage, as a new phone.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { expect } from 'vitest';
import { DEFAULT_WEB_ROOT } from '../../src/web/routes.js';
import { latestCode, newCustomer } from '../harness/customer.js';
import { startTestKonpay, type TestKonpay } from '../harness/konpay.js';
import { freePort } from '../harness/net.js';
import { launchChromium } from './chromium.js';

export const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');
// Evaluated through the DevTools protocol, which the page's CSP does not govern: the
// page itself may load no script but its own.
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface WebWorld {
  t: TestKonpay;
  browser: Browser;
  base: string;
  /** A new phone: 390×844, touch, the given language; closed by `stop`. `extra` adds context options. */
  phone(locale?: 'ja-JP' | 'en-US', extra?: BrowserContextOptions): Promise<{ context: BrowserContext; page: Page }>;
  /** A register's or an operator's screen: 1280×800, mouse and keyboard. */
  desk(): Promise<{ context: BrowserContext; page: Page }>;
  stop(): Promise<void>;
}

/**
 * `hostname: 'localhost'` for passkeys: WebAuthn refuses an IP address as the relying
 * party's id, and localhost, like 127.0.0.1, is a secure context without TLS.
 */
export async function startWebWorld(opts: { hostname?: 'localhost' | '127.0.0.1' } = {}): Promise<WebWorld> {
  if (!existsSync(join(DEFAULT_WEB_ROOT, 'wallet', 'index.html'))) {
    throw new Error(`The web apps are not built (${DEFAULT_WEB_ROOT}): run \`npm run build:web\` first`);
  }
  // The browser first: without one, fail before a server and a database are made.
  const browser = await launchChromium();
  const port = await freePort();
  const base = `http://${opts.hostname ?? '127.0.0.1'}:${port}`;
  // The public URL is what the browser sees: cookies, WebAuthn and links depend on it.
  const t = await startTestKonpay({ PORT: String(port), PUBLIC_URL: base });
  await t.konpay.listen();
  const contexts: BrowserContext[] = [];
  const open = async (options: BrowserContextOptions) => {
    const context = await browser.newContext({ baseURL: base, ...options });
    contexts.push(context);
    return { context, page: await context.newPage() };
  };
  return {
    t, browser, base,
    phone: (locale = 'en-US', extra = {}) => open({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale, ...extra }),
    desk: () => open({ viewport: { width: 1280, height: 800 }, locale: 'ja-JP' }),
    async stop() {
      for (const c of contexts) await c.close();
      await browser.close();
      await t.stop();
    },
  };
}

interface Axe {
  run(context: unknown, options: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }>;
}

/** axe-core in the page: no serious or critical violation, each one named if there is. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  await page.evaluate(AXE);
  // Runs in the page; the test's own type-check has no DOM library, hence the casts.
  const violations = await page.evaluate(async () => {
    const inPage = globalThis as unknown as { document: unknown; axe: Axe };
    const r = await inPage.axe.run(inPage.document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => String(n.target)) }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, `${screen}: ${JSON.stringify(serious, null, 2)}`).toEqual([]);
}

/** The screen as a person sees it, for docs/screenshots/ and the README. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** Every screen of a journey is checked and pictured the same way. */
export async function look(page: Page, name: string): Promise<void> {
  await expectAccessible(page, name);
  await screenshot(page, name);
}

/**
 * The code the customer would read: the page has already moved on when the request that
 * queued it answered, and the outbox worker may still be delivering it.
 */
export async function codeSentTo(world: WebWorld, to: string, channel: 'email' | 'sms'): Promise<string> {
  let code: string | undefined;
  await expect.poll(async () => (code = await latestCode(world.t, to, channel).catch(() => undefined))).toBeDefined();
  return code!;
}

/**
 * Collects the page's own errors: a blocked script or image, a CSP or Trusted Types
 * refusal, an uncaught exception. The browser also logs each 4xx answer as an error;
 * those are the API's expected refusals (a wrong code, a decline), which the screens
 * explain. `expected` names other messages a test causes on purpose (a cut connection).
 */
export function consoleErrors(page: Page, expected: readonly string[] = []): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    const text = m.text();
    if (m.type() === 'error' && !text.includes('status of 4') && !expected.some((e) => text.includes(e))) errors.push(text);
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/**
 * A customer signed up in this browser through the API's cookie transport (the sign-up
 * screens have their own test, wallet.test.ts): the page's request context shares the
 * browser's cookies, so the page is signed in on a remembered device, as after the screens.
 */
export async function signUpIn(world: WebWorld, page: Page, tag = 'c'): Promise<ReturnType<typeof newCustomer>> {
  const who = newCustomer(tag);
  const start = await page.request.post('/v1/signup', { data: { email: who.email, phone: who.phone, password: who.password, locale: 'en' } });
  expect(start.status(), await start.text()).toBe(202);
  const { flowId } = (await start.json()) as { flowId: string };
  const emailCode = await codeSentTo(world, who.email, 'email');
  const smsCode = await codeSentTo(world, who.phoneE164, 'sms');
  const done = await page.request.post(`/v1/signup/${flowId}/verify`, { data: { emailCode, smsCode, deviceLabel: 'Chrome on Android', transport: 'cookie' } });
  expect(done.status(), await done.text()).toBe(201);
  return who;
}
