/**
 * WebAuthn pieces of the API contracts, shared by passkey sign-in, registration and
 * passkeys as the second factor of login and recovery. Only zod here: identity/schemas.ts
 * and recovery/schemas.ts import it, and factors/schemas.ts imports them (no cycle).
 */
import { z } from 'zod';

export const b64url = z.string().regex(/^[A-Za-z0-9_-]+$/, 'base64url without padding');
export const credentialId = b64url.max(1366).describe('Credential id (base64url), at most 1023 bytes');
export const descriptor = z.object({ id: credentialId, type: z.string().describe('Always `public-key`'), transports: z.array(z.string()).optional() });
export const extensionResults = z.object({ credProps: z.object({ rk: z.boolean().optional() }).optional() }).default({});

export const exampleCredentialId = 'mH2wPqJ8Zz3pQ0sV6tY9cA';
export const exampleClientData = 'eyJ0eXBlIjoid2ViYXV0aG4uZ2V0IiwiY2hhbGxlbmdlIjoiQVpxMV9rVmNSM3dZIiwib3JpZ2luIjoiaHR0cHM6Ly9rb25wYXkuanAifQ';
export const exampleAssertion = {
  id: exampleCredentialId, rawId: exampleCredentialId, type: 'public-key' as const, authenticatorAttachment: 'platform' as const, clientExtensionResults: {},
  response: { clientDataJSON: exampleClientData, authenticatorData: 'SZYN5YgOjGh0NBcPZHZgW4_krrmihjLHmVzzuoMdl2MFAAAAAQ', signature: 'MEUCIQDx…', userHandle: 'AZq1_kVcR3wYkX0p8a1b2w' },
};

/** AuthenticationResponseJSON, as navigator.credentials.get() (or startAuthentication()) returns it. */
export const assertionResponse = z.object({
  id: credentialId,
  rawId: credentialId,
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: b64url.max(16_384),
    authenticatorData: b64url.max(16_384),
    signature: b64url.max(16_384),
    userHandle: b64url.max(128).nullish().transform((v) => v ?? undefined),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: extensionResults,
}).describe('AuthenticationResponseJSON, as navigator.credentials.get() (or startAuthentication()) returns it');

/** PublicKeyCredentialRequestOptionsJSON, as @simplewebauthn/browser's startAuthentication() takes it. */
export const requestOptions = z.object({
  challenge: b64url,
  rpId: z.string().optional(),
  timeout: z.number().int().optional(),
  allowCredentials: z.array(descriptor).optional(),
  userVerification: z.enum(['required', 'preferred', 'discouraged']).optional(),
}).loose().describe('PublicKeyCredentialRequestOptionsJSON for navigator.credentials.get()');

/** Options for a passkey as the second factor of a login or recovery flow: the challenge belongs to that flow. */
export const passkeyFactorOptions = z.object({
  expiresAt: z.string().describe('ISO 8601; the challenge answers one attempt until then'),
  options: requestOptions,
}).meta({ id: 'PasskeyFactorOptions', examples: [{
  expiresAt: '2026-01-05T09:05:00.000Z',
  options: { challenge: 'q3Vn0hT5c2lQxM8yA1bZ7w', rpId: 'konpay.jp', timeout: 300000, allowCredentials: [{ id: exampleCredentialId, type: 'public-key', transports: ['internal', 'hybrid'] }], userVerification: 'required' },
}] });
