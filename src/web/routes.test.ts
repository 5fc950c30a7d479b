import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webRoutes } from './routes.js';

/** A fake build with the shape Vite writes: one page per app, hashed chunks, the wallet's PWA files. */
async function fakeBuild(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'konpay-web-'));
  for (const dir of ['wallet', 'pos', 'console', 'assets']) await mkdir(join(root, dir));
  for (const dir of ['wallet', 'pos', 'console']) await writeFile(join(root, dir, 'index.html'), `<!doctype html><title>${dir}</title>`);
  await writeFile(join(root, 'assets', 'wallet-AbC123.js'), 'export {};');
  await writeFile(join(root, 'wallet', 'sw.js'), 'self.addEventListener("fetch", () => {});');
  await writeFile(join(root, 'wallet', 'manifest.webmanifest'), '{}');
  return root;
}

async function appOn(root: string): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(webRoutes({ root }));
  return app;
}

describe('web apps, built', () => {
  let root: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    root = await fakeBuild();
    app = await appOn(root);
  });
  afterAll(async () => {
    await app.close();
    await rm(root, { recursive: true, force: true });
  });

  it('serves each app at its prefix with a strict policy and no caching of the page', async () => {
    for (const [url, title] of [['/app/', 'wallet'], ['/pos/', 'pos'], ['/console/', 'console']] as const) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain(`<title>${title}</title>`);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('lets the wallet\'s forms and scripts reach only this origin, the card network included', async () => {
    // Adding a card and a top-up's 3-D Secure challenge take the browser to the card
    // network by top-level navigation (a link, then the network's own redirects back),
    // which form-action and connect-src do not govern: no form of the app posts to the
    // network and no script calls it, so neither may name it, let alone a wildcard, and
    // an injected form could post nowhere else (test/browser/wallet-money.test.ts runs
    // the whole flow under this policy).
    const policy = (await app.inject({ url: '/app/cards' })).headers['content-security-policy'] as string;
    const directive = (name: string) => policy.split('; ').find((d) => d.startsWith(`${name} `));
    expect(directive('form-action')).toBe("form-action 'self'");
    expect(directive('connect-src')).toBe("connect-src 'self'");
    expect(policy).not.toContain('*');
  });

  it('lets only the POS page ask for the camera, and nothing ask for the microphone or location', async () => {
    for (const [url, camera] of [['/app/', 'camera=()'], ['/pos/', 'camera=(self)'], ['/pos/anything', 'camera=(self)'], ['/console/', 'camera=()']] as const) {
      const policy = (await app.inject({ url })).headers['permissions-policy'];
      expect(policy, url).toContain(camera);
      expect(policy, url).toContain('microphone=()');
      expect(policy, url).toContain('geolocation=()');
    }
  });

  it('answers a client-side route with the app page (SPA fallback)', async () => {
    for (const url of ['/app/signup', '/app/index.html', '/console/customers/usr_1']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain(url.startsWith('/app/') ? '<title>wallet</title>' : '<title>console</title>');
    }
  });

  it('caches hashed chunks forever and revalidates the service worker', async () => {
    const chunk = await app.inject({ url: '/assets/wallet-AbC123.js' });
    expect(chunk.statusCode).toBe(200);
    expect(chunk.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const sw = await app.inject({ url: '/app/sw.js' });
    expect(sw.statusCode).toBe(200);
    expect(sw.headers['content-type']).toContain('javascript');
    expect(sw.headers['cache-control']).toBe('no-cache');
    expect(sw.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers 404, not the page, for a file that is not in the build or an unknown POS API path, and never reads outside it', async () => {
    for (const url of ['/assets/nope.js', '/app/nope.png', '/app/..%2f..%2fpackage.json', '/assets/..%2fwallet%2findex.html', '/pos/v1/no-such-endpoint', '/assets/']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(404);
    }
  });

  it('sends / and the bare prefixes to the app', async () => {
    expect((await app.inject({ url: '/' })).headers.location).toBe('/app/');
    expect((await app.inject({ url: '/pos' })).headers.location).toBe('/pos/');
  });
});

describe('web apps, not built', () => {
  it('answer 503 with a page that says how to build them', async () => {
    const root = join(tmpdir(), 'konpay-web-missing-does-not-exist');
    const app = await appOn(root);
    const res = await app.inject({ url: '/app/' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('npm run build:web');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    await app.close();
  });
});
