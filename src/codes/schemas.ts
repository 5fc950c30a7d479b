/** Contracts of the unlock and payment-code endpoints; each drives validation, types and OpenAPI. */
import { z } from 'zod';
import { assertionResponse, exampleAssertion, requestOptions } from '../identity/factors/webauthn-schemas.js';
import { PIN_PATTERN } from './pin-rules.js';

const timestamp = z.string().describe('ISO 8601');
const pin = z.string().regex(PIN_PATTERN, '4 to 6 digits').describe('4 to 6 digits; not one digit repeated and not a straight run like 1234').meta({ example: '2580' });

export const setPinBody = z.object({ pin }).strict().meta({ examples: [{ pin: '2580' }] });

export const unlockBody = z.discriminatedUnion('method', [
  z.object({ method: z.literal('pin'), pin }).strict(),
  z.object({
    method: z.literal('passkey'),
    flowId: z.string().regex(/^flw_[0-9a-f]{32}$/).describe('From POST /v1/unlock/passkey/options'),
    response: assertionResponse.describe('The answer to those options'),
  }).strict(),
]).meta({ examples: [
  { method: 'pin', pin: '2580' },
  { method: 'passkey', flowId: 'flw_019ab5c4e2d07c3a9e51f0b2d4c6a8e1', response: exampleAssertion },
] });

export const unlocked = z.object({
  unlockedAt: timestamp,
  unlockedUntil: timestamp.describe('Payment codes can be made until then'),
}).meta({ id: 'Unlocked', examples: [{ unlockedAt: '2026-01-05T09:00:00.000Z', unlockedUntil: '2026-01-05T09:05:00.000Z' }] });

export const unlockOptions = z.object({
  flowId: z.string().describe('Send back with the response to POST /v1/unlock'),
  expiresAt: timestamp.describe('The challenge answers one attempt until then'),
  options: requestOptions,
}).meta({ id: 'UnlockPasskeyOptions', examples: [{
  flowId: 'flw_019ab5c4e2d07c3a9e51f0b2d4c6a8e1', expiresAt: '2026-01-05T09:05:00.000Z',
  options: { challenge: 'q3Vn0hT5c2lQxM8yA1bZ7w', rpId: 'konpay.jp', timeout: 300000, allowCredentials: [{ id: 'mH2wPqJ8Zz3pQ0sV6tY9cA', type: 'public-key', transports: ['internal', 'hybrid'] }], userVerification: 'required' },
}] });

const exampleSvg = '<svg viewBox="0 0 290 85" xmlns="http://www.w3.org/2000/svg">…</svg>';

export const paymentCode = z.object({
  code: z.string().regex(/^\d+$/).describe('Issuer prefix `99` and 18 random digits; no personal data. Single use, this device only'),
  expiresAt: timestamp.describe('The code is refused after this (5 minutes at most)'),
  refreshAt: timestamp.describe('Ask for a new code then; the new one makes this one unusable'),
  barcodeSvg: z.string().describe('Code 128, with the digits printed below'),
  qrSvg: z.string().describe('QR code of the same digits'),
}).meta({ id: 'PaymentCode', examples: [{
  code: '99482039174650382915', expiresAt: '2026-01-05T09:05:00.000Z', refreshAt: '2026-01-05T09:01:00.000Z', barcodeSvg: exampleSvg, qrSvg: exampleSvg,
}] });
