/** Request and response contracts of the identity API; each drives validation, types and OpenAPI. */
import { z } from 'zod';
import { assertionResponse, exampleAssertion } from './factors/webauthn-schemas.js';

export const flowIdParam = z.object({ flowId: z.string().regex(/^flw_[0-9a-f]{32}$/).describe('Flow id (`flw_…`)') });
const code = z.string().min(1).max(64);
export const transport = z.enum(['bearer', 'cookie']).default('bearer')
  .describe('`bearer`: the token is returned in the body (the app). `cookie`: HttpOnly cookies plus a CSRF token (the web apps).');
export const deviceLabel = z.string().trim().min(1).max(80).default('Unnamed device').describe('Shown in the device list, e.g. "Hanako\'s iPhone"');

export const signupBody = z.object({
  email: z.string().max(320).meta({ example: 'hanako@example.jp' }),
  phone: z.string().max(32).describe('Mobile number; Japanese numbers may omit +81').meta({ example: '090-1234-5678' }),
  password: z.string().max(1024).describe('At least 8 characters, any Unicode; checked against breached-password lists'),
  locale: z.enum(['ja', 'en']).default('ja'),
}).strict().meta({ examples: [{ email: 'hanako@example.jp', phone: '090-1234-5678', password: 'tsuki no usagi mochi 2026', locale: 'ja' }] });

export const flowStarted = z.object({
  flowId: z.string(),
  expiresAt: z.string(),
  next: z.string().describe('What to do next'),
}).meta({ examples: [{ flowId: 'flw_019ab5c4e2d07c3a9e51f0b2d4c6a8e1', expiresAt: '2026-11-25T12:30:00.000Z', next: 'POST /v1/signup/{flowId}/verify with emailCode and smsCode' }] });

export const signupVerifyBody = z.object({
  emailCode: code.optional().describe('The 6-digit code e-mailed to you'),
  smsCode: code.optional().describe('The 6-digit code sent by SMS'),
  deviceLabel,
  transport,
}).strict().meta({ examples: [{ emailCode: '482913', smsCode: '104857', deviceLabel: "Hanako's iPhone", transport: 'bearer' }] });

export const resendBody = z.object({ channel: z.enum(['email', 'sms']) }).strict().meta({ examples: [{ channel: 'sms' }] });

export const loginBody = z.object({
  identifier: z.string().min(1).max(320).describe('E-mail address or mobile number').meta({ example: 'hanako@example.jp' }),
  password: z.string().max(1024),
  proofOfWork: z.string().max(4096).optional().describe('ALTCHA solution, when a previous answer asked for one'),
  transport,
}).strict().meta({ examples: [{ identifier: 'hanako@example.jp', password: 'tsuki no usagi mochi 2026', transport: 'bearer' }] });

/** A code (SMS, TOTP, recovery code) or a passkey's assertion, told apart by `method`. */
export const loginVerifyBody = z.discriminatedUnion('method', [
  z.object({ method: z.enum(['sms', 'totp', 'recovery_code']), code, deviceLabel, transport }).strict(),
  z.object({
    method: z.literal('passkey'),
    response: assertionResponse.describe('The answer to the options of POST /v1/login/{flowId}/passkey/options'),
    deviceLabel,
    transport,
  }).strict(),
]).meta({ examples: [
  { method: 'sms', code: '104857', deviceLabel: 'Work laptop', transport: 'bearer' },
  { method: 'passkey', response: exampleAssertion, deviceLabel: 'Work laptop', transport: 'bearer' },
] });

export const sessionIssued = z.object({
  status: z.literal('authenticated'),
  userId: z.string(),
  session: z.object({
    token: z.string().optional().describe('Bearer token (`bearer` transport only); shown once'),
    expiresAt: z.string(),
    csrfToken: z.string().optional().describe('`cookie` transport: send as `x-csrf-token` on writes'),
  }),
  deviceCredential: z.string().optional().describe('Remembers this device: send it as `x-konpay-device` at the next login (`bearer` transport; the web gets a cookie)'),
  restrictedUntil: z.string().nullable().describe('Until then card top-ups are paused and payments capped at ¥5,000 (cooling-off)'),
  mustResetPassword: z.boolean().describe('The password was found in a breach list, or Konpay made every account replace it: change it before anything else (until then other requests answer 403 `password_reset_required`)'),
}).meta({
  id: 'SessionIssued',
  examples: [{
    status: 'authenticated', userId: 'usr_019ab5c4e2d07c3a9e51f0b2d4c6a8e1',
    session: { token: 'kps_Xc2hR0…', expiresAt: '2026-12-25T12:00:00.000Z' },
    deviceCredential: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…', restrictedUntil: '2026-11-26T12:00:00.000Z', mustResetPassword: false,
  }],
});

export const secondFactorRequired = z.object({
  status: z.literal('second_factor_required'),
  flowId: z.string(),
  methods: z.array(z.enum(['sms', 'totp', 'recovery_code', 'passkey'])),
  expiresAt: z.string(),
}).meta({ id: 'SecondFactorRequired', examples: [{ status: 'second_factor_required', flowId: 'flw_019ab5c4e2d07c3a9e51f0b2d4c6a8e1', methods: ['sms', 'totp'], expiresAt: '2026-11-25T12:10:00.000Z' }] });

export const signupPending = z.object({
  status: z.literal('pending'),
  remaining: z.object({ email: z.boolean(), sms: z.boolean() }),
}).meta({ examples: [{ status: 'pending', remaining: { email: false, sms: true } }] });

export const accepted = z.object({ status: z.literal('sent') }).meta({ examples: [{ status: 'sent' }] });

export const meSchema = z.object({
  id: z.string(),
  email: z.string(),
  phone: z.string(),
  locale: z.enum(['ja', 'en']),
  factors: z.array(z.enum(['sms', 'totp', 'recovery_code', 'passkey'])).describe('Second factors set up; SMS to the verified phone is always one'),
  devices: z.array(z.object({ id: z.string(), label: z.string(), current: z.boolean(), lastSeenAt: z.string() })).describe('Devices remembered for sign-in'),
  restrictedUntil: z.string().nullable().describe('Cooling-off (ID-10): until then no card top-ups and payments up to ¥5,000'),
  frozen: z.boolean(),
  mustResetPassword: z.boolean(),
  createdAt: z.string(),
}).meta({
  id: 'Me',
  examples: [{
    id: 'usr_019ab5c4e2d07c3a9e51f0b2d4c6a8e1', email: 'hanako@example.jp', phone: '+819012345678', locale: 'ja',
    factors: ['sms', 'totp'], devices: [{ id: 'dev_019ab5c4e2d07c3a9e51f0b2d4c6a8e2', label: "Hanako's iPhone", current: true, lastSeenAt: '2026-11-25T11:58:00.000Z' }], restrictedUntil: null, frozen: false, mustResetPassword: false, createdAt: '2026-11-01T09:00:00.000Z',
  }],
});
