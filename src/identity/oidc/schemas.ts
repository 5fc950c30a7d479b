/** Contracts of external ID sign-in (ID-12): validation, types and OpenAPI from one source. */
import { z } from 'zod';

export const providerParam = z.object({ provider: z.string().max(40) });

export const providersList = z.object({
  providers: z.array(z.object({
    name: z.string(),
    label: z.string(),
    startUrl: z.string().describe('Open this in the browser (a top-level navigation) to sign in with the provider'),
  })),
}).meta({ examples: [{ providers: [{ name: 'google', label: 'Google', startUrl: '/v1/oidc/google/start' }] }] });

/**
 * What the provider sends back (RFC 6749 §4.1.2, RFC 9207 `iss`). Providers add their own
 * parameters (Google's `scope`, `authuser`): those are allowed and ignored.
 */
export const callbackQuery = z.object({
  code: z.string().max(4096).optional(),
  state: z.string().max(1024).optional(),
  iss: z.string().max(2048).optional(),
  error: z.string().max(256).optional(),
  error_description: z.string().max(2048).optional(),
}).loose();

export const redirectAnswer = z.null().describe('A redirect (`Location`): to the provider, or back to the wallet app');

export const linkStarted = z.object({
  authorizationUrl: z.string().describe('Open this in the same browser (a top-level navigation); the provider sends it back to the callback'),
  expiresAt: z.string(),
}).meta({ examples: [{ authorizationUrl: 'https://accounts.example.com/authorize?client_id=konpay&response_type=code&scope=openid+email&state=…&nonce=…&code_challenge=…&code_challenge_method=S256&redirect_uri=…', expiresAt: '2026-12-05T08:10:00.000Z' }] });

export const externalIdentities = z.object({
  providers: z.array(z.object({
    name: z.string(),
    label: z.string(),
    linked: z.object({
      email: z.string().nullable().describe('The address the provider gave when linked; shown only, never used to find an account'),
      linkedAt: z.string(),
      lastUsedAt: z.string().nullable(),
    }).nullable(),
  })),
}).meta({ examples: [{ providers: [{ name: 'google', label: 'Google', linked: { email: 'hanako@example.jp', linkedAt: '2026-12-01T09:00:00.000Z', lastUsedAt: null } }] }] });
