/** Contracts of recovery and "this wasn't me"; each drives validation, types and OpenAPI. */
import { z } from 'zod';
import { assertionResponse, exampleAssertion } from '../factors/webauthn-schemas.js';
import { deviceLabel, transport } from '../schemas.js';

const code = z.string().min(1).max(64).describe('The 6-digit code').meta({ example: '482913' });
const FLOW = 'flw_019ab5c4e2d07c3a9e51f0b2d4c6a8e1';

/**
 * `.strict()` is the 7pay defence: a request that names an e-mail address, phone number
 * or birth date besides the identifier is refused whole, before anything is sent.
 */
export const recoveryStartBody = z.object({
  identifier: z.string().min(1).max(320).describe('The e-mail address or mobile number of the account'),
}).strict()
  .describe('Only the identifier. Any other field (another address, a phone number, a birth date…) is refused with 400 and nothing is sent: the code always goes to the verified address on file.')
  .meta({ examples: [{ identifier: 'hanako@example.jp' }] });

export const recoveryStarted = z.object({
  flowId: z.string(),
  expiresInSeconds: z.number().int().describe('The flow ends after this long'),
  next: z.string().describe('What to do next'),
}).describe('The same for every identifier, registered or not; only the flow id differs.')
  .meta({ examples: [{ flowId: FLOW, expiresInSeconds: 1800, next: 'POST /v1/recovery/{flowId}/email with the code e-mailed to the address on file' }] });

export const recoveryEmailBody = z.object({ code }).strict().meta({ examples: [{ code: '482913' }] });

const method = z.enum(['sms', 'totp', 'recovery_code']);

export const recoveryEmailVerified = z.object({
  status: z.literal('email_verified'),
  methods: z.array(z.enum(['sms', 'totp', 'recovery_code', 'passkey'])).describe('Second factors this account can finish with'),
  next: z.string(),
}).meta({ examples: [{ status: 'email_verified', methods: ['sms', 'totp'], next: 'POST /v1/recovery/{flowId}/complete with a second factor and the new password (for sms, POST /v1/recovery/{flowId}/sms first)' }] });

const newPassword = z.string().max(1024).describe('At least 8 characters, any Unicode; checked against breached-password lists');

/** The second factor is a code or, with `method: passkey`, a passkey's assertion. */
export const recoveryCompleteBody = z.discriminatedUnion('method', [
  z.object({
    method: method.describe('The second factor: an SMS code to the verified phone, a TOTP code or a recovery code'),
    code, newPassword, deviceLabel, transport,
  }).strict(),
  z.object({
    method: z.literal('passkey'),
    response: assertionResponse.describe('The answer to the options of POST /v1/recovery/{flowId}/passkey/options'),
    newPassword, deviceLabel, transport,
  }).strict(),
]).meta({ examples: [
  { method: 'sms', code: '104857', newPassword: 'hoshi no kaigan de odoru 2026', deviceLabel: "Hanako's iPhone", transport: 'bearer' },
  { method: 'passkey', response: exampleAssertion, newPassword: 'hoshi no kaigan de odoru 2026', deviceLabel: "Hanako's iPhone", transport: 'bearer' },
] });

export const freezeQuery = z.object({
  token: z.string().max(256).default('').describe('The token from the link in the notice'),
});

export const freezeBody = z.object({
  token: z.string().max(256).describe('The token from the link in the notice (`kpf_…`)'),
}).strict().meta({ examples: [{ token: 'kpf_019ab5c4e2d07c3a9e51f0b2d4c6a8e1.q4Zx…' }] });

export const frozenAnswer = z.object({
  status: z.literal('frozen'),
  help: z.string().describe('How to get the account back and claim unauthorised payments'),
}).meta({ examples: [{ status: 'frozen', help: 'To unfreeze the account or claim back unauthorised payments, contact Konpay support from the Help screen of the app.' }] });
