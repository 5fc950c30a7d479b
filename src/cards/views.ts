/** How a card appears in answers: never its token, never its fingerprint. */
import { z } from 'zod';
import { toPublicId } from '../shared/ids.js';
import type { CardRow } from './repo.js';

export const cardSchema = z.object({
  id: z.string().describe('`crd_…`'),
  brand: z.string(),
  last4: z.string(),
  expMonth: z.number().int(),
  expYear: z.number().int(),
  status: z.enum(['pending', 'active', 'failed', 'removed']).describe('`pending` until the 3-D Secure challenge and the verification pass'),
  failureCode: z.string().nullable().describe('Why verification failed: `three_ds_failed`, `incorrect_cvc`, `stolen_card`, `insufficient_funds`, `card_in_use_elsewhere`, …'),
  createdAt: z.string(),
}).meta({
  id: 'Card',
  examples: [{ id: 'crd_019ab5c4e2d07c3a9e51f0b2d4c6a8e5', brand: 'visa', last4: '2008', expMonth: 12, expYear: 2030, status: 'active', failureCode: null, createdAt: '2026-11-25T09:00:00.000Z' }],
});

export const cardView = (c: CardRow): z.infer<typeof cardSchema> => ({
  id: toPublicId('crd', c.id), brand: c.brand, last4: c.last4, expMonth: c.exp_month, expYear: c.exp_year,
  status: c.status, failureCode: c.failure_code, createdAt: c.created_at.toISOString(),
});

export const nextActionSchema = z.object({
  type: z.literal('three_ds_challenge'),
  url: z.string().describe('Open this in a browser: the card issuer\'s challenge page. It sends the holder back to Konpay when done.'),
}).nullable().meta({ id: 'NextAction' });

export const cardDescription = (c: Pick<CardRow, 'brand' | 'last4'>) => `${c.brand === 'unknown' ? 'Card' : c.brand[0]!.toUpperCase() + c.brand.slice(1)} •••• ${c.last4}`;

export const cardFormAnswer = z.object({
  url: z.string().nullable().describe('The card network\'s hosted form, returning to the wallet app; null when no card network is configured'),
  maxCards: z.number().int().describe('How many cards an account may hold'),
}).meta({
  id: 'CardForm',
  examples: [{ url: 'http://localhost:3100/cardnet/card-form?returnUrl=http%3A%2F%2Flocalhost%3A3000%2Fapp%2Fcards', maxCards: 3 }],
});
