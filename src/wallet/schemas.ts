/** The wallet's response contract; the route (routes.ts) and the web apps (web/shared/contract.ts) share it. */
import { z } from 'zod';

export const yen = z.number().int().describe('Integer yen');

export const walletSchema = z.object({
  currency: z.literal('JPY'),
  balance: yen.describe('Posted balance'),
  available: yen.describe('What can be spent now: balance less pending payments'),
  pendingIn: yen.describe('Top-ups on their way in (card captures not yet settled)'),
  restrictedUntil: z.string().nullable().describe('Restricted mode (ID-10): no card top-ups, payments up to the restricted cap'),
  frozen: z.boolean().describe('A frozen wallet moves no money until support lifts the freeze'),
  limits: z.object({
    cardTopup: z.object({ min: yen, max: yen, per24h: yen, per30d: yen }),
    cashTopup: z.object({ step: yen, max: yen }),
    balanceMax: yen,
    payment: z.object({ max: yen, per24h: yen }),
    restrictedPaymentsPer24h: yen,
  }),
  remaining: z.object({ cardTopup24h: yen, cardTopup30d: yen, balanceRoom: yen, payments24h: yen }).describe('What is left of each limit right now'),
}).meta({
  id: 'Wallet',
  examples: [{
    currency: 'JPY', balance: 12_800, available: 12_800, pendingIn: 0, restrictedUntil: null, frozen: false,
    limits: { cardTopup: { min: 1000, max: 30_000, per24h: 50_000, per30d: 200_000 }, cashTopup: { step: 1000, max: 49_000 }, balanceMax: 100_000, payment: { max: 50_000, per24h: 100_000 }, restrictedPaymentsPer24h: 5000 },
    remaining: { cardTopup24h: 50_000, cardTopup30d: 170_000, balanceRoom: 87_200, payments24h: 96_500 },
  }],
});

export const movementSchema = z.object({
  id: z.string(), kind: z.string(), direction: z.enum(['in', 'out']),
  amount: yen.describe('Signed: positive into the wallet, negative out of it'),
  status: z.enum(['posted', 'pending', 'canceled']), description: z.string().nullable(), createdAt: z.string(),
});

export const historySchema = z.object({ movements: z.array(movementSchema), nextCursor: z.string().nullable() }).meta({
  examples: [{
    movements: [
      { id: 'txn_019ab5c4e2d07c3a9e51f0b2d4c6a8e5', kind: 'payment', direction: 'out', amount: -1200, status: 'posted', description: 'FamilyMart Shibuya', createdAt: '2026-11-25T09:12:00.000Z' },
      { id: 'txn_019ab5c4e2d07c3a9e51f0b2d4c6a8e6', kind: 'topup_card', direction: 'in', amount: 10_000, status: 'posted', description: 'Visa •••• 4242', createdAt: '2026-11-25T09:00:00.000Z' },
    ],
    nextCursor: 'WyIyMDI2LTExLTI1VDA5OjAwOjAwLjAwMFoiLCIwMTlhYjVjNC0uLi4iXQ',
  }],
});
