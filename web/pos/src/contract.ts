/**
 * The POS API's contract types, inferred from the zod schemas that validate and document
 * each endpoint (type-only: nothing of the server is bundled), so a changed answer fails
 * `npm run typecheck` here rather than at a register.
 */
import type { z } from 'zod';
import type { cashReceiptSchema } from '../../../src/cash/schemas.js';
import type { Problem } from '../../../src/http/problem.js';
import type { authoriseBody, paymentSchema, refundBody } from '../../../src/payments/views.js';

export type { Problem };
export type Payment = z.infer<typeof paymentSchema>;
export type PaymentBody = z.input<typeof authoriseBody>;
export type RefundBody = z.input<typeof refundBody>;
export type CashReceipt = z.infer<typeof cashReceiptSchema>;
export interface CashTopupBody { code: string; amount: number }

/** `GET /pos/v1/terminal` (its schema is private to src/pos/routes.ts). */
export interface Terminal {
  id: string;
  keyId: string;
  store: { id: string; name: string };
  merchant: { id: string; name: string };
}
