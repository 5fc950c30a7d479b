/** The cash top-up contract: what the till sends and the receipt it gets back. */
import { z } from 'zod';
import { toPublicId } from '../shared/ids.js';
import type { CashCredit } from './topup.js';

export const cashTopupBody = z.object({
  code: z.string().min(1).max(64).describe('The payment code on the customer\'s screen, as scanned (20 digits starting `99`)'),
  amount: z.number().int().positive().max(10_000_000).describe('Integer yen taken in cash: ¥1,000 steps, at most ¥49,000'),
}).strict().meta({ examples: [{ code: '99482061735918264053', amount: 3000 }] });

/**
 * What a till receipt needs and nothing more: the wallet's balance and the customer's
 * name, e-mail or phone are theirs, so they reach the customer's app and e-mail, never
 * the till.
 */
export const cashReceiptSchema = z.object({
  id: z.string().describe('Receipt number: the ledger transfer (`txn_…`), as in the customer\'s history'),
  amount: z.number().int().describe('Integer yen credited'),
  createdAt: z.string().describe('When it was credited'),
  store: z.object({ id: z.string().describe('`sto_…`'), name: z.string() }),
  terminalId: z.string().describe('`trm_…` of the signing terminal'),
  codeEnding: z.string().describe('The last 4 digits of the scanned code, to print as the customer reference; the code is used up'),
}).meta({
  id: 'CashTopupReceipt',
  examples: [{
    id: 'txn_019ab5c4e2d07c3a9e51f0b2d4c6a8e7', amount: 3000, createdAt: '2026-11-25T09:00:00.000Z',
    store: { id: 'sto_019ab5c4e2d07c3a9e51f0b2d4c6a8e4', name: 'Shibuya Dogenzaka' },
    terminalId: 'trm_019ab5c4e2d07c3a9e51f0b2d4c6a8e5', codeEnding: '4053',
  }],
});

export type CashReceipt = z.infer<typeof cashReceiptSchema>;

export const receiptView = (c: CashCredit): CashReceipt => ({
  id: toPublicId('txn', c.transferId),
  amount: c.amount, createdAt: c.at.toISOString(), store: c.store, terminalId: c.terminalId, codeEnding: c.codeEnding,
});
