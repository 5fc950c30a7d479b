/**
 * The web apps as the server delivers them: the wallet installs as a PWA whose service
 * worker keeps the app shell for offline use and never stores an API answer, and the
 * POS page and the console answer at their addresses (console.test.ts drives the console).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, startWebWorld, type WebWorld } from './harness.js';

let world: WebWorld;
beforeAll(async () => {
  world = await startWebWorld();
});
afterAll(async () => {
  await world?.stop();
});

/** Everything the wallet's service worker stored, as paths. Evaluated as text: the test's type-check has no DOM. */
const CACHED_PATHS = `(async () => {
  const paths = [];
  for (const name of await caches.keys()) {
    for (const req of await (await caches.open(name)).keys()) paths.push(new URL(req.url).pathname);
  }
  return paths;
})()`;

describe('web apps as served', () => {
  it('the wallet is installable: a manifest with its icons, and a service worker for /app/', async () => {
    const { page } = await world.phone();
    await page.goto('/app/');
    const manifest = (await (await page.request.get('/app/manifest.webmanifest')).json()) as { start_url: string; scope: string; display: string; icons: { src: string; sizes: string; type: string; purpose: string }[] };
    expect(manifest).toMatchObject({ start_url: '/app/', scope: '/app/', display: 'standalone' });
    expect(manifest.icons.map((i) => `${i.sizes} ${i.purpose}`)).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']));
    for (const icon of manifest.icons) {
      const res = await page.request.get(icon.src);
      expect(res.status(), icon.src).toBe(200);
      expect(res.headers()['content-type'], icon.src).toContain(icon.type);
    }
    expect(await page.evaluate('navigator.serviceWorker.ready.then((r) => r.scope)')).toBe(`${world.base}/app/`);
  });

  it('keeps the app shell for offline use and never stores an API answer', async () => {
    const { context, page } = await world.phone();
    await page.goto('/app/login');
    expect(await page.evaluate('navigator.serviceWorker.ready.then(() => true)')).toBe(true);
    // Controlled from this load on: the app's own API calls now pass the worker.
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate('navigator.serviceWorker.controller !== null')).toBe(true);
    expect(await page.evaluate('fetch("/v1/me").then((r) => r.status)')).toBe(401);

    const cached = (await page.evaluate(CACHED_PATHS)) as string[];
    expect(cached).toContain('/app/');
    expect(cached.some((p) => p.startsWith('/assets/'))).toBe(true);
    expect(cached.filter((p) => !p.startsWith('/app/') && !p.startsWith('/assets/'))).toEqual([]);

    // A chunk of an earlier release, which no page names any more, goes at the next fresh load.
    await page.evaluate("caches.open('konpay-wallet-v1').then((c) => c.put('/assets/old-release-0000.js', new Response('')))");
    expect(await page.evaluate(CACHED_PATHS)).toContain('/assets/old-release-0000.js');
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expect.poll(() => page.evaluate(CACHED_PATHS)).not.toContain('/assets/old-release-0000.js');
    const kept = (await page.evaluate(CACHED_PATHS)) as string[];
    expect(kept.filter((p) => p.startsWith('/assets/')).sort()).toEqual(cached.filter((p) => p.startsWith('/assets/')).sort());

    // Offline, the wallet still opens (and says it cannot reach Konpay when asked to).
    await context.setOffline(true);
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('E-mail address or mobile number').fill('someone@example.jp');
    await page.getByLabel('Password').fill('whatever it is');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('No connection to Konpay');
    await context.setOffline(false);
  });

  it('serves the POS page and the operations console at their addresses', async () => {
    const { page } = await world.desk();
    // The POS page opens at its terminal sign-in, in the register's language (pos.test.ts drives it).
    for (const [path, title] of [['/pos/', '端末のログイン'], ['/console/', 'オペレーターのサインイン']] as const) {
      const res = await page.goto(path);
      expect(res?.headers()['content-security-policy'], path).toContain("script-src 'self'");
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(title);
      await expectAccessible(page, path);
    }
  });
});
