/** The console API's contracts: customer search and detail, freeze and unfreeze, the dashboard, merchants. */
import { z } from 'zod';
import { historySchema, walletSchema } from '../../wallet/schemas.js';
import { approvalSchema, EXAMPLE_APPROVAL } from '../approvals/schemas.js';
import { limitOverrideSchema } from './limits-schemas.js';

const USR = 'usr_019ab5c4e2d07c3a9e51f0b2d4c6a8e1';
const AT = '2026-03-02T03:00:00.000Z';

export const searchBody = z.object({
  q: z.string().trim().min(1).max(254).describe('An exact e-mail address, mobile number or `usr_…` id'),
}).strict().meta({ examples: [{ q: 'hanako@example.jp' }] });
export const customerParams = z.object({ customerId: z.string().max(64).describe('`usr_…`') });
export const reasonBody = z.object({
  reason: z.string().trim().min(3).max(500).describe('Why: kept in the action log (and, for a freeze, on the account)'),
}).strict().meta({ examples: [{ reason: 'Customer called: phone stolen on the train' }] });

const customerSummary = z.object({
  id: z.string(), email: z.string(), phone: z.string(), frozen: z.boolean(), createdAt: z.string(),
});

export const searchAnswer = z.object({ customers: z.array(customerSummary) })
  .meta({ id: 'ConsoleCustomerSearch', examples: [{ customers: [{ id: USR, email: 'hanako@example.jp', phone: '+819012345678', frozen: false, createdAt: AT }] }] });

export const customerDetailSchema = z.object({
  profile: z.object({
    id: z.string(), email: z.string(), phone: z.string(), locale: z.enum(['ja', 'en']), createdAt: z.string(),
    frozenAt: z.string().nullable(), frozenReason: z.string().nullable(), restrictedUntil: z.string().nullable(), mustResetPassword: z.boolean(),
  }),
  wallet: walletSchema.omit({ restrictedUntil: true, frozen: true }),
  devices: z.array(z.object({ id: z.string(), label: z.string(), createdAt: z.string(), lastSeenAt: z.string() })),
  sessions: z.array(z.object({
    id: z.string(), transport: z.enum(['cookie', 'bearer']), deviceId: z.string().nullable(), createdAt: z.string(), lastSeenAt: z.string(),
    expiresAt: z.string(), ip: z.string().nullable(), userAgent: z.string().nullable(),
  })),
  events: z.array(z.object({ id: z.string(), kind: z.string(), ip: z.string().nullable(), createdAt: z.string(), details: z.record(z.string(), z.unknown()) })),
  movements: historySchema.shape.movements,
  pendingUnfreeze: approvalSchema.nullable().describe('An unfreeze asked for and waiting for a second operator'),
  limitOverride: limitOverrideSchema.describe("The customer's own limits (`wallet.limits` shows them applied); all null: the defaults"),
  pendingLimitChanges: z.array(approvalSchema).describe('Limit raises asked for and waiting for a second operator, oldest first'),
}).meta({
  id: 'ConsoleCustomerDetail',
  examples: [{
    profile: {
      id: USR, email: 'hanako@example.jp', phone: '+819012345678', locale: 'ja', createdAt: AT,
      frozenAt: null, frozenReason: null, restrictedUntil: null, mustResetPassword: false,
    },
    wallet: {
      currency: 'JPY', balance: 1720, available: 1720, pendingIn: 0,
      limits: { cardTopup: { min: 1000, max: 30_000, per24h: 50_000, per30d: 200_000 }, cashTopup: { step: 1000, max: 49_000 }, balanceMax: 100_000, payment: { max: 50_000, per24h: 100_000 }, restrictedPaymentsPer24h: 5000 },
      remaining: { cardTopup24h: 50_000, cardTopup30d: 200_000, balanceRoom: 98_280, payments24h: 98_720 },
    },
    devices: [{ id: 'dev_019ab5c4e2d07c3a9e51f0b2d4c6a8e2', label: "Hanako's iPhone", createdAt: AT, lastSeenAt: AT }],
    sessions: [{ id: 'ses_019ab5c4e2d07c3a9e51f0b2d4c6a8e1', transport: 'bearer', deviceId: 'dev_019ab5c4e2d07c3a9e51f0b2d4c6a8e2', createdAt: AT, lastSeenAt: AT, expiresAt: '2026-04-01T03:00:00.000Z', ip: '203.0.113.7', userAgent: 'Konpay/1.0 (iPhone)' }],
    events: [{ id: 'evt_019ab5c4e2d07c3a9e51f0b2d4c6a8e3', kind: 'account_created', ip: '203.0.113.7', createdAt: AT, details: {} }],
    movements: [{ id: 'txn_019ab5c4e2d07c3a9e51f0b2d4c6a8e5', kind: 'payment', direction: 'out', amount: -1280, status: 'posted', description: 'Shibuya Dogenzaka', createdAt: AT }],
    pendingUnfreeze: null,
    limitOverride: { cardTopup24h: null, cardTopup30d: null, balanceMax: null, payment24h: null },
    pendingLimitChanges: [],
  }],
});

export const freezeAnswer = z.object({ id: z.string(), frozen: z.literal(true), sessionsRevoked: z.number().int() })
  .meta({ examples: [{ id: USR, frozen: true, sessionsRevoked: 2 }] });
export const unfreezeAnswer = z.object({ id: z.string(), frozen: z.literal(false) })
  .meta({ examples: [{ id: USR, frozen: false }] });

export const unfreezeRequested = z.object({ id: z.string(), frozen: z.literal(true), approval: approvalSchema })
  .describe('Still frozen: a second operator must approve the request')
  .meta({ id: 'ConsoleUnfreezeRequested', examples: [{ id: EXAMPLE_APPROVAL.subjectIds.customerId, frozen: true, approval: EXAMPLE_APPROVAL }] });

export const dashboardSchema = z.object({
  from: z.string().describe('Start of the first hour (UTC)'),
  to: z.string().describe('End of the last (current, partial) hour'),
  hours: z.array(z.object({
    hour: z.string(), payments: z.number().int(), paymentsAmount: z.number().int(), declines: z.number().int(),
    riskAllow: z.number().int(), riskStepUp: z.number().int(), riskHold: z.number().int(), riskDeny: z.number().int(),
    openCases: z.number().int().describe('Cases open at the end of the hour'),
  })),
  declinesByReason: z.array(z.object({ reason: z.string(), count: z.number().int() })),
  totals: z.object({ payments: z.number().int(), paymentsAmount: z.number().int(), declines: z.number().int() }),
}).meta({
  id: 'ConsoleDashboard',
  examples: [{
    from: '2026-03-01T04:00:00.000Z', to: '2026-03-02T04:00:00.000Z',
    hours: [{ hour: AT, payments: 12, paymentsAmount: 15360, declines: 1, riskAllow: 30, riskStepUp: 2, riskHold: 1, riskDeny: 0, openCases: 3 }],
    declinesByReason: [{ reason: 'insufficient_balance', count: 1 }], totals: { payments: 12, paymentsAmount: 15360, declines: 1 },
  }],
});

export const merchantList = z.object({
  merchants: z.array(z.object({ id: z.string(), name: z.string(), status: z.enum(['active', 'suspended']), createdAt: z.string() })),
}).meta({ id: 'ConsoleMerchants', examples: [{ merchants: [{ id: 'mer_019ab5c4e2d07c3a9e51f0b2d4c6a8e3', name: 'Konbini Mart', status: 'active', createdAt: AT }] }] });
