/** How a top-up appears in answers. */
import { z } from 'zod';
import { nextActionSchema } from '../cards/views.js';
import { toPublicId } from '../shared/ids.js';
import type { TopupRow } from './repo.js';

export const topupSchema = z.object({
  id: z.string().describe('`top_…`'),
  status: z.enum(['requires_action', 'processing', 'succeeded', 'failed', 'canceled']).describe(
    '`requires_action`: complete the issuer\'s challenge (`nextAction`). `processing`: the card network is being asked; poll this top-up. `succeeded`: credited. `failed`/`canceled`: nothing was charged (see `failureCode`).',
  ),
  amount: z.number().int().describe('Integer yen'),
  cardId: z.string(),
  failureCode: z.string().nullable().describe('`three_ds_failed`, `challenge_expired`, `canceled_by_customer`, `insufficient_funds`, `stolen_card`, `incorrect_cvc`, `charged_back`, …'),
  nextAction: nextActionSchema,
  held: z.boolean().describe('Held for a check by our team (answered `202`): nothing is charged and the card is not asked until then; you are told the outcome, and once released `POST /v1/topups/{id}/confirm` starts the challenge. A held top-up not decided within 3 days is canceled.'),
  createdAt: z.string(),
  updatedAt: z.string(),
}).meta({
  id: 'Topup',
  examples: [{
    id: 'top_019ab5c4e2d07c3a9e51f0b2d4c6a8e5', status: 'requires_action', amount: 5000, cardId: 'crd_019ab5c4e2d07c3a9e51f0b2d4c6a8e6',
    failureCode: null, nextAction: { type: 'three_ds_challenge', url: 'http://localhost:3100/cardnet/acs/3ds_0196a0c4e6f37c3a9d2b5e8f1a2b3c4e' }, held: false,
    createdAt: '2026-11-25T09:00:00.000Z', updatedAt: '2026-11-25T09:00:00.000Z',
  }],
});

export const topupView = (t: TopupRow): z.infer<typeof topupSchema> => ({
  id: toPublicId('top', t.id), status: t.status, amount: t.amount, cardId: toPublicId('crd', t.card_id), failureCode: t.failure_code,
  nextAction: t.status === 'requires_action' && t.challenge_url ? { type: 'three_ds_challenge', url: t.challenge_url } : null,
  held: t.held_at !== null,
  createdAt: t.created_at.toISOString(), updatedAt: t.updated_at.toISOString(),
});
