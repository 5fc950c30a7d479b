/** How payments appear to the till and to merchants: no customer data at all. */
import { z } from 'zod';
import { toPublicId } from '../shared/ids.js';
import { DECLINE_REASON_CODES } from './declines.js';
import type { PaymentRow, RefundRow } from './repo.js';

const yen = z.number().int().describe('Integer yen');

export const authoriseBody = z.strictObject({
  code: z.string().min(1).max(64).describe('The digits of the customer\'s one-time code, as scanned or typed'),
  amount: z.number().int().min(1).max(10_000_000).describe('Integer yen'),
  orderId: z.string().min(1).max(64).regex(/^[\x21-\x7e]+$/).describe('The store\'s own order number; one payment per order'),
  categories: z.array(z.string().min(1).max(40).regex(/^[a-z0-9_]+$/)).max(20).default([]).describe('Goods categories of the basket, e.g. `food`, `tobacco`, `gift_card`'),
}).meta({ examples: [{ code: '99123456789012345678', amount: 1280, orderId: 'R0042-20261125-0193', categories: ['food', 'drink'] }] });

export const refundBody = z.strictObject({
  amount: z.number().int().min(1).max(10_000_000).describe('Integer yen; refunds of a payment never add up to more than it'),
  reason: z.string().max(200).optional().describe('Shown on the customer\'s history'),
}).meta({ examples: [{ amount: 300, reason: 'Returned item' }] });

const refundSchema = z.object({ id: z.string(), amount: yen, reason: z.string().nullable(), createdAt: z.string() });

export const paymentSchema = z.object({
  id: z.string().describe('`pay_…`: the receipt number'),
  status: z.enum(['approved', 'canceled']),
  amount: yen,
  refunded: yen,
  orderId: z.string(),
  categories: z.array(z.string()),
  storeId: z.string(),
  terminalId: z.string(),
  businessDate: z.string().describe('The JST business day the payment belongs to'),
  createdAt: z.string(),
  canceledAt: z.string().nullable(),
  refunds: z.array(refundSchema),
}).meta({
  id: 'PosPayment',
  examples: [{
    id: 'pay_019ab5c4e2d07c3a9e51f0b2d4c6a8e5', status: 'approved', amount: 1280, refunded: 0, orderId: 'R0042-20261125-0193',
    categories: ['food', 'drink'], storeId: 'sto_019ab5c4e2d07c3a9e51f0b2d4c6a8e6', terminalId: 'trm_019ab5c4e2d07c3a9e51f0b2d4c6a8e7',
    businessDate: '2026-11-25', createdAt: '2026-11-25T09:12:00.000Z', canceledAt: null, refunds: [],
  }],
});

export const declineSchema = z.object({
  code: z.literal('payment_declined'),
  reason: z.enum(DECLINE_REASON_CODES),
  message: z.string(),
}).loose().meta({ description: 'A problem document (application/problem+json) with the decline reason' });

export const paymentView = (p: PaymentRow, refunds: readonly RefundRow[]): z.infer<typeof paymentSchema> => ({
  id: toPublicId('pay', p.id), status: p.status, amount: p.amount, refunded: p.refunded, orderId: p.order_id, categories: p.categories,
  storeId: toPublicId('sto', p.store_id), terminalId: toPublicId('trm', p.terminal_id), businessDate: p.business_date,
  createdAt: p.created_at.toISOString(), canceledAt: p.canceled_at?.toISOString() ?? null,
  refunds: refunds.map((r) => ({ id: toPublicId('rfd', r.id), amount: r.amount, reason: r.reason, createdAt: r.created_at.toISOString() })),
});

/** The `data` of merchant events: what the merchant's own systems need to match their sale. */
export const paymentEventData = (p: PaymentRow) => ({
  payment: {
    id: toPublicId('pay', p.id), storeId: toPublicId('sto', p.store_id), orderId: p.order_id, amount: p.amount,
    refunded: p.refunded, status: p.status, businessDate: p.business_date, createdAt: p.created_at.toISOString(),
  },
});
