/**
 * The wallet's service worker: what makes the app installable and open without a network.
 *
 * - Hashed chunks under /assets/ never change: cache-first. A release leaves the old
 *   chunks behind, so each fresh copy of the page prunes the chunks it no longer names
 *   (keeping those this worker has served since it started: lazily loaded ones).
 * - The app's own page, manifest and icons: network-first, the cached copy only when
 *   offline, so a new release shows at the next load.
 * - Everything else (the API above all: balances, sessions, payment codes) is not touched:
 *   the browser fetches it as if there were no worker, and nothing of it is ever stored.
 */
// A module (export {}) so that this `self` narrows the worker's global rather than clash with it.
export {};
declare const self: ServiceWorkerGlobalScope;

const CACHE = 'konpay-wallet-v1';
const SHELL = '/app/';

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.add(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

/** Chunks served since this worker started: in use even when the page does not name them. */
const servedChunks = new Set<string>();

async function cacheFirst(req: Request): Promise<Response> {
  servedChunks.add(new URL(req.url).pathname);
  const hit = await caches.match(req);
  if (hit) return hit;
  const res = await fetch(req);
  if (res.ok) await (await caches.open(CACHE)).put(req, res.clone());
  return res;
}

/** Drops cached chunks that neither the current page nor this worker's clients use. */
async function pruneChunks(page: Response): Promise<void> {
  const named = new Set((await page.text()).match(/\/assets\/[\w.-]+/g) ?? []);
  const cache = await caches.open(CACHE);
  for (const req of await cache.keys()) {
    const path = new URL(req.url).pathname;
    if (path.startsWith('/assets/') && !named.has(path) && !servedChunks.has(path)) await cache.delete(req);
  }
}

/** Pages are client-side routes of one shell: offline, any of them gets the cached shell. */
async function networkFirst(req: Request): Promise<Response> {
  try {
    const res = await fetch(req);
    if (res.ok) await (await caches.open(CACHE)).put(req.mode === 'navigate' ? SHELL : req, res.clone());
    if (res.ok && req.mode === 'navigate') void pruneChunks(res.clone());
    return res;
  } catch (err) {
    const hit = await caches.match(req.mode === 'navigate' ? SHELL : req);
    if (hit) return hit;
    throw err;
  }
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/assets/')) event.respondWith(cacheFirst(req));
  else if (url.pathname.startsWith('/app/')) event.respondWith(networkFirst(req));
});
