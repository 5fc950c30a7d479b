/**
 * A real OpenID provider for tests (`oidc-provider`, the certified Node implementation):
 * discovery, JWKS, authorization code flow with PKCE, real RS256 signing keys. Its
 * interaction (the provider's own login page) signs in whichever test account the driver
 * names, without a browser, and consent is implied (`loadExistingGrant`).
 *
 * `tamper` rewrites the ID token in the token endpoint's next answers: what a compromised
 * network path, a mis-issued certificate or a malicious provider could hand Konpay. The
 * rewritten token is re-signed, with the provider's own key (so only the claim is wrong)
 * or with an attacker's key under the provider's key id (a forgery).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import Provider from 'oidc-provider';

export interface TestAccount { sub: string; email: string; emailVerified: boolean }

export interface TestOidcProvider {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The accounts the interaction can sign in, by subject. */
  readonly accounts: Map<string, TestAccount>;
  /** Who the interaction signs in when the request names nobody (a real browser's visit). */
  defaultLogin: string | undefined;
  /** When set, rewrites each ID token the token endpoint answers. */
  tamper: ((idToken: string) => Promise<string>) | undefined;
  /** The token's claims changed by `change`, signed with the provider's key or an attacker's (same `kid`). */
  resign(idToken: string, change: (c: JWTPayload) => JWTPayload, key?: 'provider' | 'attacker'): Promise<string>;
  /**
   * Follows the provider's redirects from `authorizationUrl` with a fresh cookie jar,
   * signs `sub` in at the interaction, and returns the URL the provider sends the browser
   * back to (Konpay's callback with `code`, `state`, `iss`).
   */
  authorize(authorizationUrl: string, sub: string): Promise<URL>;
  close(): Promise<void>;
}

export async function startTestOidcProvider(opts: { redirectUris: string[]; clientId?: string }): Promise<TestOidcProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = opts.clientId ?? 'konpay-test';
  const clientSecret = 'konpay-test-client-secret-0123456789abcdef';
  const kid = 'test-key-1';
  const real = await generateKeyPair('RS256', { extractable: true });
  const attacker = await generateKeyPair('RS256', { extractable: true });
  const accounts = new Map<string, TestAccount>();

  const provider = new Provider(issuer, {
    clients: [{
      client_id: clientId, client_secret: clientSecret, redirect_uris: opts.redirectUris,
      response_types: ['code'], grant_types: ['authorization_code'], token_endpoint_auth_method: 'client_secret_basic',
    }],
    jwks: { keys: [{ ...(await exportJWK(real.privateKey)), kid, alg: 'RS256', use: 'sig' }] },
    pkce: { required: () => true, methods: ['S256'] },
    cookies: { keys: ['test-provider-cookie-key-0123456789'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    features: { devInteractions: { enabled: false } },
    // As Google does: the e-mail claims in the ID token itself, not only at userinfo.
    conformIdTokenClaims: false,
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 600, Grant: 600 },
    async findAccount(_ctx, sub) {
      const a = accounts.get(sub);
      if (!a) return undefined;
      return { accountId: sub, claims: async () => ({ sub, email: a.email, email_verified: a.emailVerified }) };
    },
    // Consent is implied: every test client gets what it asks for.
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope('openid email');
      await grant.save();
      return grant;
    },
  });

  const state: { tamper: TestOidcProvider['tamper']; defaultLogin: string | undefined } = { tamper: undefined, defaultLogin: undefined };
  // The interaction: sign in the subject named in `?login=`.
  provider.use(async (ctx, next) => {
    if (!/^\/interaction\/[^/]+$/.test(ctx.path)) return next();
    await provider.interactionDetails(ctx.req, ctx.res);
    const sub = String(ctx.query['login'] ?? state.defaultLogin ?? '');
    const to = await provider.interactionResult(ctx.req, ctx.res, { login: { accountId: sub } }, { mergeWithLastSubmission: false });
    ctx.status = 303;
    ctx.redirect(to);
  });
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { id_token?: unknown } | undefined;
    if (ctx.path === '/token' && state.tamper && body && typeof body.id_token === 'string') {
      ctx.body = { ...body, id_token: await state.tamper(body.id_token) };
    }
  });
  server.on('request', provider.callback());

  const sign = (claims: JWTPayload, key: CryptoKey) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(key);

  return {
    issuer, clientId, clientSecret, accounts,
    get tamper() { return state.tamper; },
    get defaultLogin() { return state.defaultLogin; },
    set defaultLogin(sub) { state.defaultLogin = sub; },
    set tamper(f) { state.tamper = f; },
    resign: (token, change, key = 'provider') => sign(change(decodeJwt(token)), key === 'provider' ? real.privateKey : attacker.privateKey),
    async authorize(authorizationUrl, sub) {
      const jar = new Map<string, string>();
      let url = new URL(authorizationUrl);
      for (let hop = 0; hop < 10; hop++) {
        if (url.origin !== issuer) return url;
        const res = await fetch(url, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
        for (const c of res.headers.getSetCookie()) {
          const [pair] = c.split(';');
          const eq = pair!.indexOf('=');
          jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
        }
        const location = res.headers.get('location');
        if (!location) throw new Error(`the provider answered ${res.status} at ${url.pathname}: ${await res.text()}`);
        url = new URL(location, url);
        if (url.origin === issuer && url.pathname.startsWith('/interaction/')) url.searchParams.set('login', sub);
      }
      throw new Error('too many redirects at the provider');
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
