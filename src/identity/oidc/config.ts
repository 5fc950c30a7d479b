/**
 * The OpenID Connect providers customers may sign in with (ID-12), from `OIDC_PROVIDERS`:
 * a JSON array of `{name, label, issuer, clientId, clientSecret}`. Parsed once by
 * src/config.ts; a bad entry stops the server with the reason.
 */
import { z } from 'zod';

export const oidcProviderSchema = z.object({
  /** In URLs (`/v1/oidc/{name}/…`) and in the redirect URI registered with the provider. */
  name: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'lower-case letters, digits and -, at most 32'),
  /** Shown on the button: "Sign in with {label}". */
  label: z.string().min(1).max(40),
  /** The issuer exactly as its ID tokens say it; discovery is at `{issuer}/.well-known/openid-configuration`. */
  issuer: z.url(),
  clientId: z.string().min(1).max(500),
  clientSecret: z.string().min(1).max(2000),
}).strict();

export type OidcProviderConfig = z.infer<typeof oidcProviderSchema>;

/**
 * Throws with a readable reason. Production accepts only https issuers: discovery and the
 * token endpoint are trusted because TLS says who answered.
 */
export function parseOidcProviders(raw: string | undefined, production: boolean): readonly OidcProviderConfig[] {
  if (!raw?.trim()) return [];
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error('OIDC_PROVIDERS: not JSON');
  }
  const parsed = z.array(oidcProviderSchema).max(10).safeParse(json);
  if (!parsed.success) {
    throw new Error(`OIDC_PROVIDERS: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const names = new Set<string>();
  for (const p of parsed.data) {
    if (names.has(p.name)) throw new Error(`OIDC_PROVIDERS: ${p.name} appears twice`);
    names.add(p.name);
    if (production && !p.issuer.startsWith('https://')) throw new Error(`OIDC_PROVIDERS: ${p.name}'s issuer must be https:// in production`);
  }
  return parsed.data;
}
