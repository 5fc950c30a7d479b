/**
 * The provider side of external ID sign-in (ID-12), through `openid-client` (which
 * uses `oauth4webapi` and `jose`): discovery, the authorization URL with PKCE (S256),
 * state and nonce, and the code exchange, whose ID token is checked in full:
 *
 * - signature against the provider's JWKS (enableNonRepudiationChecks: openid-client
 *   otherwise trusts a token endpoint's ID token on TLS alone, as OIDC Core 3.1.3.7 allows;
 *   we check the signature too, so a proxy, a mis-issued certificate or a plain-http test
 *   provider cannot hand us a token the provider never signed);
 * - `iss` equal to the discovered issuer, `aud` containing our client id, `azp` (when
 *   present, or when there are several audiences) equal to it, `exp` in the future and
 *   `iat` present (30 s of clock tolerance), `nonce` equal to the flow's;
 * - the authorization response's `state` equal to the flow's and, where the provider
 *   sends it (RFC 9207), its `iss`, against mix-up attacks; the code is exchanged with
 *   the flow's PKCE verifier.
 *
 * Outcomes are values; nothing of the provider's error text reaches the customer.
 */
import * as oidc from 'openid-client';
import type { Logger } from '../../shared/logger.js';
import type { OidcProviderConfig } from './config.js';

export interface VerifiedIdentity {
  issuer: string;
  subject: string;
  /** The provider's claim, kept only to show the customer which identity is linked. */
  email: string | null;
}

export type ExchangeResult =
  | { kind: 'verified'; identity: VerifiedIdentity }
  /** The provider answered `error=…` (the customer cancelled, or it refused). */
  | { kind: 'provider_error' }
  /** The token endpoint refused the code (used, expired, wrong PKCE verifier) or the token failed a check. */
  | { kind: 'invalid' }
  | { kind: 'unavailable' };

export interface AuthorizationRequest {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export class OidcClients {
  private readonly discovered = new Map<string, Promise<oidc.Configuration>>();
  private readonly byName: ReadonlyMap<string, OidcProviderConfig>;

  constructor(providers: readonly OidcProviderConfig[], private readonly publicUrl: string, private readonly logger: Logger) {
    this.byName = new Map(providers.map((p) => [p.name, p]));
  }

  get providers(): readonly OidcProviderConfig[] {
    return [...this.byName.values()];
  }

  provider(name: string): OidcProviderConfig | undefined {
    return this.byName.get(name);
  }

  redirectUri(name: string): string {
    return `${this.publicUrl}/v1/oidc/${name}/callback`;
  }

  /** Fresh secrets for one authorization request, from openid-client's CSPRNG helpers. */
  static newRequest(): AuthorizationRequest {
    return { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier() };
  }

  /** Discovery once per provider; a failure is forgotten so the next request tries again. */
  private configuration(p: OidcProviderConfig): Promise<oidc.Configuration> {
    let c = this.discovered.get(p.name);
    if (!c) {
      c = (async () => {
        const insecure = p.issuer.startsWith('http://'); // refused in production by config.ts
        const config = await oidc.discovery(new URL(p.issuer), p.clientId, { client_secret: p.clientSecret, id_token_signed_response_alg: 'RS256' },
          oidc.ClientSecretBasic(p.clientSecret), insecure ? { execute: [oidc.allowInsecureRequests] } : undefined);
        oidc.enableNonRepudiationChecks(config);
        return config;
      })();
      this.discovered.set(p.name, c);
      c.catch(() => this.discovered.delete(p.name));
    }
    return c;
  }

  async authorizationUrl(name: string, r: AuthorizationRequest): Promise<URL | 'unavailable'> {
    const p = this.byName.get(name)!;
    try {
      const config = await this.configuration(p);
      return oidc.buildAuthorizationUrl(config, {
        redirect_uri: this.redirectUri(name),
        response_type: 'code',
        scope: 'openid email',
        state: r.state,
        nonce: r.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(r.codeVerifier),
        code_challenge_method: 'S256',
      });
    } catch (err) {
      this.logger.warn({ provider: name, err: describe(err) }, 'oidc discovery failed');
      return 'unavailable';
    }
  }

  /** `callbackUrl`: the URL the browser came back on, with the provider's query. */
  async exchange(name: string, callbackUrl: URL, r: AuthorizationRequest): Promise<ExchangeResult> {
    const p = this.byName.get(name)!;
    let config: oidc.Configuration;
    try {
      config = await this.configuration(p);
    } catch (err) {
      this.logger.warn({ provider: name, err: describe(err) }, 'oidc discovery failed');
      return { kind: 'unavailable' };
    }
    try {
      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: r.codeVerifier, expectedState: r.state, expectedNonce: r.nonce, idTokenExpected: true,
      }, { redirect_uri: this.redirectUri(name) });
      const claims = tokens.claims();
      if (!claims) return { kind: 'invalid' };
      return { kind: 'verified', identity: { issuer: claims.iss, subject: claims.sub, email: typeof claims['email'] === 'string' ? claims['email'].slice(0, 320) : null } };
    } catch (err) {
      const kind = classify(err);
      // Refusals are what attacks look like: logged (without tokens) for the risk team.
      this.logger.warn({ provider: name, outcome: kind, err: describe(err) }, 'oidc sign-in refused');
      return { kind };
    }
  }
}

function classify(err: unknown): 'provider_error' | 'invalid' | 'unavailable' {
  if (err instanceof oidc.AuthorizationResponseError) return 'provider_error';
  if (err instanceof oidc.ResponseBodyError) return 'invalid';
  if (err instanceof oidc.ClientError) return err.code === 'OAUTH_TIMEOUT' || err.code === 'OAUTH_ABORT' ? 'unavailable' : 'invalid';
  // fetch() failing (connection refused, DNS) is a TypeError with a cause.
  if (err instanceof TypeError && err.cause) return 'unavailable';
  return 'invalid';
}

/** The error's class, code and message only: never the token or the request. */
function describe(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  return { name: err.name, code: (err as { code?: unknown }).code, message: err.message };
}
