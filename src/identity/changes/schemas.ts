/** Contracts of re-authentication and privileged changes; each drives validation, types and OpenAPI. */
import { z } from 'zod';
import { assertionResponse, exampleAssertion } from '../factors/webauthn-schemas.js';

const code = z.string().min(1).max(64).describe('The 6-digit code (or a TOTP / recovery code)').meta({ example: '104857' });
const FLOW = 'flw_019ab5c4e2d07c3a9e51f0b2d4c6a8e1';
const LATER = '2026-11-26T12:00:00.000Z';

export const reauthBody = z.union([
  z.object({
    password: z.string().max(1024),
    proofOfWork: z.string().max(4096).optional().describe('ALTCHA solution, when a previous answer asked for one'),
  }).strict(),
  z.object({
    method: z.enum(['sms', 'totp', 'recovery_code']).describe('For sms, POST /v1/me/reauthenticate/sms first'),
    code,
  }).strict(),
  z.object({
    method: z.literal('passkey'),
    response: assertionResponse.describe('The answer to the options of POST /v1/me/reauthenticate/passkey/options'),
  }).strict(),
]).describe('The password, or a second factor. Five wrong answers in one session sign it out.')
  .meta({ examples: [{ password: 'tsuki no usagi mochi 2026' }, { method: 'sms', code: '104857' }, { method: 'passkey', response: exampleAssertion }] });

export const reauthenticated = z.object({
  status: z.literal('reauthenticated'),
  session: z.object({
    token: z.string().optional().describe('The NEW bearer token (`bearer` sessions); the old one no longer works'),
    expiresAt: z.string(),
    csrfToken: z.string().optional().describe('`cookie` sessions: the new CSRF token (the cookies are replaced)'),
  }),
  privilegedUntil: z.string().describe('Privileged changes are allowed until then'),
}).meta({ examples: [{ status: 'reauthenticated', session: { token: 'kps_Xc2hR0…', expiresAt: '2026-12-25T12:00:00.000Z' }, privilegedUntil: '2026-11-25T12:05:00.000Z' }] });

export const passwordChangeBody = z.object({
  currentPassword: z.string().max(1024).optional().describe('Optional (the session re-authenticated moments ago); checked when given'),
  newPassword: z.string().max(1024).describe('At least 8 characters, any Unicode; checked against breached-password lists'),
}).strict().meta({ examples: [{ newPassword: 'hoshi no kaigan de odoru 2026' }] });

export const passwordChanged = z.object({
  status: z.literal('changed'),
  sessionsRevoked: z.number().int().describe('Other sessions signed out; this one stays'),
  restrictedUntil: z.string().describe('Cooling-off (ID-10): card top-ups paused, payments up to ¥5,000'),
}).meta({ examples: [{ status: 'changed', sessionsRevoked: 2, restrictedUntil: LATER }] });

export const emailChangeBody = z.object({
  newEmail: z.string().max(320).describe('A code is sent there; the change happens when it is proven'),
}).strict().meta({ examples: [{ newEmail: 'hanako.new@example.jp' }] });

export const phoneChangeBody = z.object({
  newPhone: z.string().max(32).describe('A mobile number; an SMS code is sent there. Japanese numbers may omit +81'),
}).strict().meta({ examples: [{ newPhone: '080-2345-6789' }] });

export const changeStarted = z.object({
  flowId: z.string(),
  expiresInSeconds: z.number().int(),
  next: z.string(),
}).meta({ examples: [{ flowId: FLOW, expiresInSeconds: 600, next: 'POST /v1/me/email/{flowId}/confirm with the code sent to the new address' }] });

export const confirmBody = z.object({ code }).strict().meta({ examples: [{ code: '104857' }] });

export const contactChanged = z.object({
  status: z.literal('changed'),
  email: z.string(),
  phone: z.string(),
  restrictedUntil: z.string().describe('Cooling-off (ID-10): card top-ups paused, payments up to ¥5,000'),
}).meta({ examples: [{ status: 'changed', email: 'hanako.new@example.jp', phone: '+819012345678', restrictedUntil: LATER }] });
