/** The contract of `PUT /ops/v1/customers/{id}/limits`. Fields may be added, never renamed or removed. */
import { z } from 'zod';
import { walletSchema } from '../../wallet/schemas.js';
import { OVERRIDE_MAX_YEN } from '../../wallet/overrides.js';
import { approvalSchema, EXAMPLE_APPROVAL } from '../approvals/schemas.js';

const USR = 'usr_019ab5c4e2d07c3a9e51f0b2d4c6a8e1';
const value = z.number().int().min(0).max(OVERRIDE_MAX_YEN).nullable().optional()
  .describe('Yen (0 and up); null: back to the configured default; absent: unchanged');

export const limitsBody = z.object({
  cardTopup24h: value,
  cardTopup30d: value,
  balanceMax: value,
  payment24h: value,
  reason: z.string().trim().min(3).max(500).describe('Why: kept in the history and the action log (not told to the customer)'),
}).strict().meta({ examples: [{ payment24h: 20_000, reason: 'Customer asked for a lower daily spend' }] });

export const limitOverrideSchema = z.object({
  cardTopup24h: z.number().int().nullable(), cardTopup30d: z.number().int().nullable(), balanceMax: z.number().int().nullable(), payment24h: z.number().int().nullable(),
}).describe("The customer's own values; null: the configured default");

const LIMITS = { cardTopup: { min: 1000, max: 30_000, per24h: 50_000, per30d: 200_000 }, cashTopup: { step: 1000, max: 49_000 }, balanceMax: 100_000, payment: { max: 50_000, per24h: 20_000 }, restrictedPaymentsPer24h: 5000 };
const OVERRIDE = { cardTopup24h: null, cardTopup30d: null, balanceMax: null, payment24h: 20_000 };

export const limitsAnswer = z.object({
  id: z.string(),
  changed: z.boolean().describe('False when the values asked for were already so'),
  limits: walletSchema.shape.limits.describe('The limits that now apply to the customer'),
  override: limitOverrideSchema,
}).meta({ id: 'ConsoleLimitsChanged', examples: [{ id: USR, changed: true, limits: LIMITS, override: OVERRIDE }] });

export const limitsRequested = z.object({ id: z.string(), approval: approvalSchema })
  .describe('Nothing changed yet: a second operator must approve the raise')
  .meta({ id: 'ConsoleLimitsRequested', examples: [{ id: USR, approval: { ...EXAMPLE_APPROVAL, kind: 'customer_limits', payload: { customerId: USR, changes: { cardTopup24h: 100_000 } } } }] });
