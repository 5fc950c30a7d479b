/**
 * External ID sign-in in tests: a real OpenID provider (oidc-provider) beside a Konpay
 * configured to trust it, and a browser-like cookie jar for Konpay's own pages, since the
 * flow is bound to the browser that started it.
 */
import type { LightMyRequestResponse } from 'fastify';
import type { StartOptions } from '../../src/server.js';
import { startTestKonpay, type TestKonpay } from './konpay.js';
import { startTestOidcProvider, type TestOidcProvider } from './oidc-provider.js';

export const KONPAY_URL = 'http://konpay.test';
export const PROVIDER = 'testid';

export interface OidcPair {
  t: TestKonpay;
  op: TestOidcProvider;
  stop(): Promise<void>;
}

/** `env`: more configuration for Konpay (a risk policy, throttle budgets). */
export async function startOidcPair(opts: Omit<StartOptions, 'logDestination'> = {}, env: Record<string, string> = {}): Promise<OidcPair> {
  const op = await startTestOidcProvider({ redirectUris: [`${KONPAY_URL}/v1/oidc/${PROVIDER}/callback`] });
  const t = await startTestKonpay({
    PUBLIC_URL: KONPAY_URL,
    OIDC_PROVIDERS: JSON.stringify([{ name: PROVIDER, label: 'Test ID', issuer: op.issuer, clientId: op.clientId, clientSecret: op.clientSecret }]),
    ...env,
  }, opts);
  return { t, op, async stop() { await t.stop(); await op.close(); } };
}

/**
 * One browser's cookies for Konpay (path-blind: every cookie on every request, as tests
 * need), and optionally its client address (else the injector's 127.0.0.1).
 */
export class Browser {
  readonly cookies = new Map<string, string>();
  constructor(private readonly t: TestKonpay, private readonly ip?: string) {}

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(method: 'GET' | 'POST' | 'DELETE', url: string, headers: Record<string, string> = {}, payload?: object): Promise<LightMyRequestResponse> {
    const cookie = this.header();
    const res = await this.t.konpay.app.inject({
      method, url, headers: { ...(cookie ? { cookie } : {}), ...headers }, ...(payload ? { payload } : {}), ...(this.ip ? { remoteAddress: this.ip } : {}),
    });
    for (const c of res.cookies as { name: string; value: string; expires?: Date; maxAge?: number }[]) {
      const gone = (c.expires && c.expires.getTime() <= Date.now()) || c.maxAge === 0 || c.value === '';
      if (gone) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }

  /** A write with the cookie session's CSRF token. */
  write(method: 'POST' | 'DELETE', url: string, payload?: object): Promise<LightMyRequestResponse> {
    return this.request(method, url, { 'x-csrf-token': this.cookies.get('konpay_csrf') ?? '' }, payload);
  }
}

/** Where a redirect answer points. */
export function location(res: LightMyRequestResponse): string {
  const l = res.headers.location;
  if (typeof l !== 'string') throw new Error(`expected a redirect, got ${res.statusCode}: ${res.body}`);
  return l;
}

/** The outcome a callback put in the wallet URL's fragment. */
export function outcome(res: LightMyRequestResponse): Record<string, string> & { path: string } {
  const l = location(res);
  const [path, frag = ''] = l.split('#');
  return { path: path!, ...Object.fromEntries(new URLSearchParams(frag)) };
}

/** Starts a sign-in in `browser` and answers the provider's authorization URL. */
export async function startSignIn(browser: Browser): Promise<string> {
  const res = await browser.request('GET', `/v1/oidc/${PROVIDER}/start`);
  if (res.statusCode !== 302) throw new Error(`start answered ${res.statusCode}: ${res.body}`);
  return location(res);
}

/** The provider's redirect back, delivered to Konpay by `browser`. */
export function deliver(browser: Browser, callback: URL): Promise<LightMyRequestResponse> {
  return browser.request('GET', `${callback.pathname}${callback.search}`);
}

/** A whole sign-in as `sub` in `browser`: start, the provider, the callback. */
export async function signInWith(p: OidcPair, browser: Browser, sub: string): Promise<LightMyRequestResponse> {
  const callback = await p.op.authorize(await startSignIn(browser), sub);
  return deliver(browser, callback);
}
