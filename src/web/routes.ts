/**
 * Serves the three front ends (SPEC §2) that Vite builds from web/ into web/dist: the
 * wallet at /app/, the POS page at /pos/ and the operations console at /console/.
 *
 * Only files found in the build at start-up are served (a fixed list, so no request path
 * ever reaches the file system); any other path under an app without a file extension is
 * one of its client-side routes and gets the app's index.html. Hashed chunks under /assets/
 * never change and are cached for a year; everything else is revalidated on every use, so
 * a new build is picked up at the next page load.
 */
import fastifyStatic from '@fastify/static';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { escapeHtml } from '../shared/html.js';
import { APP_CSP, FALLBACK_CSP, pageHeaders } from './headers.js';

/** Where `npm run build:web` writes (from src/web and from dist/web alike). */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** URL prefix → build folder of each app. */
const WEB_APPS = [
  { mount: '/app/', dir: 'wallet', title: 'Konpay', camera: false },
  // The till reads the customer's code with its camera (Permissions-Policy, headers.ts).
  { mount: '/pos/', dir: 'pos', title: 'Konpay POS', camera: true },
  { mount: '/console/', dir: 'console', title: 'Konpay console', camera: false },
] as const;

const hidden = { schema: { hide: true } };
type Rest = { Params: { '*': string } };

/** Every file of the build, as POSIX paths relative to its root. */
function listFiles(root: string): Set<string> {
  if (!existsSync(root)) return new Set();
  const entries = readdirSync(root, { recursive: true, withFileTypes: true });
  return new Set(entries.filter((e) => e.isFile()).map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/')));
}

/** The page shown instead of an app whose build is missing: the API keeps working. */
function missingBuildPage(title: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}: not built</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem}code{background:#eee;padding:.1em .3em}</style></head>
<body><h1>${escapeHtml(title)} is not built yet</h1>
<p>The web apps are built by <code>npm install</code>. Build them now with <code>npm run build:web</code>, then restart the server.</p>
<p>The API is up: see <a href="/docs">/docs</a>.</p></body></html>`;
}

export function webRoutes(opts: { root?: string } = {}): FastifyPluginAsync {
  const root = opts.root ?? DEFAULT_WEB_ROOT;
  return async (app) => {
    const files = listFiles(root);
    // sendFile only: the routes below decide what may be served.
    await app.register(fastifyStatic, { root, serve: false });
    // A script or manifest is only ever run as the type it was sent as.
    app.addHook('onSend', async (_req, reply) => {
      reply.header('x-content-type-options', 'nosniff');
    });

    const sendNoCache = (reply: FastifyReply, path: string) =>
      reply.header('cache-control', 'no-cache').sendFile(path, root, { cacheControl: false });

    app.get('/', hidden, async (_req, reply) => reply.redirect('/app/'));

    // No listing of the chunks. Also a route of its own so that Fastify's route table
    // (printRoutes, which the fuzz suite reads) shows the wildcard below with its full path.
    app.get('/assets/', hidden, async (_req, reply) => reply.callNotFound());
    app.get<Rest>('/assets/*', hidden, async (req, reply) => {
      const path = `assets/${req.params['*']}`;
      if (!files.has(path)) return reply.callNotFound();
      // Content-hashed names: a changed file gets a new name, so this one never changes.
      return reply.sendFile(path, root, { maxAge: '365d', immutable: true });
    });

    for (const { mount, dir, title, camera } of WEB_APPS) {
      const index = `${dir}/index.html`;
      const built = files.has(index);
      const page = (reply: FastifyReply) => {
        if (!built) return reply.code(503).headers(pageHeaders(FALLBACK_CSP)).type('text/html; charset=utf-8').send(missingBuildPage(title));
        return sendNoCache(reply.headers(pageHeaders(APP_CSP, { camera })), index);
      };
      app.get(mount.slice(0, -1), hidden, async (_req, reply) => reply.redirect(mount));
      app.get(mount, hidden, async (_req, reply) => page(reply));
      app.get<Rest>(`${mount}*`, hidden, async (req, reply) => {
        const rest = req.params['*'];
        // `/pos/v1/…` is the signed POS API: a path there that no route matched is an API 404
        // (problem+json), never the POS page. The other apps keep the same namespace free.
        if (rest === 'v1' || rest.startsWith('v1/')) return reply.callNotFound();
        if (rest === 'index.html' || !/\.[a-z0-9]+$/i.test(rest)) return page(reply);
        // A path that names a file (it has an extension) and is not in the build: a real 404,
        // not the app, so a missing script or icon is not answered with HTML.
        return files.has(`${dir}/${rest}`) ? sendNoCache(reply, `${dir}/${rest}`) : reply.callNotFound();
      });
    }
  };
}
