/** Contracts of the second-factor endpoints; each drives validation, types and OpenAPI. */
import { z } from 'zod';
import { deviceLabel, transport } from '../schemas.js';
import {
  assertionResponse, b64url, credentialId, descriptor, exampleAssertion, exampleClientData, exampleCredentialId, extensionResults, requestOptions,
} from './webauthn-schemas.js';

const timestamp = z.string().describe('ISO 8601');

const examplePasskey = { id: exampleCredentialId, label: 'iPhone', deviceType: 'multiDevice' as const, backedUp: true, createdAt: '2026-01-05T09:00:00.000Z', lastUsedAt: null };

export const totpEnrolled = z.object({
  secret: z.string().describe('Base32 secret, for typing into the app by hand; shown once'),
  otpauthUri: z.string().describe('`otpauth://` URI to show as a QR code'),
  next: z.string(),
}).meta({ id: 'TotpEnrolled', examples: [{ secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', otpauthUri: 'otpauth://totp/Konpay:hanako%40example.jp?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Konpay', next: 'POST /v1/me/factors/totp/confirm with a code from the app' }] });

export const totpConfirmBody = z.object({
  code: z.string().regex(/^\s*\d{3}\s?\d{3}\s*$/).describe('The 6-digit code the app shows now').meta({ example: '492039' }),
}).strict().meta({ examples: [{ code: '492039' }] });

export const totpEnabled = z.object({ status: z.literal('enabled') }).meta({ examples: [{ status: 'enabled' }] });

export const recoveryCodesIssued = z.object({
  codes: z.array(z.string()).describe('Ten single-use codes, shown only this once; any earlier set stops working'),
  createdAt: timestamp,
}).meta({ id: 'RecoveryCodes', examples: [{ codes: ['k7mq-x2ne-hp', '…'], createdAt: '2026-01-05T09:00:00.000Z' }] });

export const passkeyView = z.object({
  id: credentialId,
  label: z.string(),
  deviceType: z.enum(['singleDevice', 'multiDevice']).describe('`multiDevice`: synced by the platform (iCloud Keychain, Google Password Manager)'),
  backedUp: z.boolean(),
  createdAt: timestamp,
  lastUsedAt: timestamp.nullable(),
}).meta({ id: 'Passkey', examples: [examplePasskey] });

export const factorsView = z.object({
  totp: z.object({ status: z.enum(['none', 'pending', 'enabled']), confirmedAt: timestamp.nullable() }),
  recoveryCodes: z.object({ remaining: z.number().int(), createdAt: timestamp.nullable() }),
  passkeys: z.array(passkeyView),
}).meta({ id: 'Factors', examples: [{ totp: { status: 'enabled', confirmedAt: '2026-01-05T09:00:00.000Z' }, recoveryCodes: { remaining: 9, createdAt: '2026-01-05T09:01:00.000Z' }, passkeys: [examplePasskey] }] });

export const passkeyIdParam = z.object({ passkeyId: credentialId });

/** The options as @simplewebauthn/browser's startRegistration() takes them. */
export const passkeyRegistrationOptions = z.object({
  flowId: z.string(),
  expiresAt: timestamp,
  options: z.object({
    rp: z.object({ id: z.string().optional(), name: z.string() }),
    user: z.object({ id: z.string(), name: z.string(), displayName: z.string() }),
    challenge: b64url,
    pubKeyCredParams: z.array(z.object({ type: z.literal('public-key'), alg: z.number().int() })),
    timeout: z.number().int().optional(),
    excludeCredentials: z.array(descriptor).optional(),
  }).loose().describe('PublicKeyCredentialCreationOptionsJSON for navigator.credentials.create()'),
}).meta({ id: 'PasskeyRegistrationOptions', examples: [{
  flowId: 'flw_019ab5c4e2d07c3a9e51f0b2d4c6a8e1', expiresAt: '2026-01-05T09:05:00.000Z',
  options: {
    rp: { id: 'konpay.jp', name: 'Konpay' }, user: { id: 'AZq1_kVcR3wYkX0p8a1b2w', name: 'hanako@example.jp', displayName: 'hanako@example.jp' },
    challenge: 'AZq1_kVcR3wY', pubKeyCredParams: [{ type: 'public-key', alg: -7 }, { type: 'public-key', alg: -257 }], timeout: 300000,
    excludeCredentials: [], attestation: 'none', authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
  },
}] });

/** The options as @simplewebauthn/browser's startAuthentication() takes them. */
export const passkeyLoginOptions = z.object({
  flowId: z.string().describe('Send back with the response to POST /v1/login/passkey/verify'),
  expiresAt: timestamp,
  options: requestOptions,
}).meta({ id: 'PasskeyLoginOptions', examples: [{
  flowId: 'flw_019ab5c4e2d07c3a9e51f0b2d4c6a8e1', expiresAt: '2026-01-05T09:05:00.000Z',
  options: { challenge: 'AZq1_kVcR3wY', rpId: 'konpay.jp', timeout: 300000, allowCredentials: [], userVerification: 'required' },
}] });

export const passkeyRegisterBody = z.object({
  response: z.object({
    id: credentialId,
    rawId: credentialId,
    type: z.literal('public-key'),
    response: z.object({
      clientDataJSON: b64url.max(16_384),
      attestationObject: b64url.max(65_536),
      authenticatorData: b64url.max(16_384).optional(),
      transports: z.array(z.string().max(32)).max(10).optional(),
      publicKeyAlgorithm: z.number().int().optional(),
      publicKey: b64url.max(16_384).optional(),
    }),
    authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
    clientExtensionResults: extensionResults,
  }).describe('RegistrationResponseJSON, as navigator.credentials.create() (or startRegistration()) returns it'),
  label: z.string().trim().min(1).max(80).default('Passkey').describe('Shown in the list, e.g. "iPhone (iCloud Keychain)"'),
}).strict().meta({ examples: [{
  response: {
    id: exampleCredentialId, rawId: exampleCredentialId, type: 'public-key', authenticatorAttachment: 'platform', clientExtensionResults: {},
    response: { clientDataJSON: exampleClientData, attestationObject: 'o2NmbXRkbm9uZWdhdHRTdG10oGhhdXRoRGF0YVjF', transports: ['internal', 'hybrid'] },
  },
  label: 'iPhone',
}] });

export const passkeyLoginOptionsBody = z.object({
  identifier: z.string().min(1).max(320).optional().describe('E-mail or phone; leave out for usernameless sign-in').meta({ example: 'hanako@example.jp' }),
}).strict().meta({ examples: [{}, { identifier: 'hanako@example.jp' }] });

export const passkeyLoginVerifyBody = z.object({
  flowId: z.string().regex(/^flw_[0-9a-f]{32}$/),
  response: assertionResponse,
  deviceLabel,
  transport,
}).strict().meta({ examples: [{
  flowId: 'flw_019ab5c4e2d07c3a9e51f0b2d4c6a8e1',
  response: exampleAssertion,
  deviceLabel: 'Work laptop',
  transport: 'bearer',
}] });
