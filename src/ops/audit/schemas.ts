/** The audit API's contracts (`/ops/v1/audit`). Fields may be added, never renamed or removed. */
import { z } from 'zod';

const HASH = 'a3f1c09be0d54f6e8c2b7d1a9e4f60b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f3';

export const auditListQuery = z.object({
  cursor: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional().describe('`nextCursor` of the previous page: entries before this seq'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
}).strict();

export const auditEntry = z.object({
  seq: z.number().int(), at: z.string(), who: z.string().describe('`opr_…`, `operator-token` or `cli:<user>`'),
  action: z.string(), ids: z.record(z.string(), z.string()), outcome: z.string(),
  prevHash: z.string(), hash: z.string().describe('SHA-256 over the canonical encoding (src/ops/audit/chain.ts)'),
});

export const auditList = z.object({ entries: z.array(auditEntry), nextCursor: z.number().int().nullable() }).meta({
  id: 'OpsAuditLog',
  examples: [{
    entries: [{ seq: 42, at: '2026-03-02T03:00:00.000Z', who: 'opr_019ab5c4e2d07c3a9e51f0b2d4c6a8e7', action: 'customer.freeze', ids: { customerId: 'usr_019ab5c4e2d07c3a9e51f0b2d4c6a8e1' }, outcome: 'frozen', prevHash: HASH, hash: HASH }],
    nextCursor: 42,
  }],
});

export const chainStatus = z.object({
  intact: z.boolean(),
  count: z.number().int().describe('Rows checked'),
  headSeq: z.number().int().nullable(),
  headHash: z.string().nullable().describe('Copy it somewhere the database\'s writers cannot reach: a rewritten history will not end in it'),
  brokenAt: z.number().int().nullable().describe('The first wrong row'),
  problem: z.enum(['changed', 'gap', 'link', 'truncated', 'beyond_head']).nullable(),
  detail: z.string().nullable(),
}).meta({ id: 'OpsAuditChain', examples: [{ intact: true, count: 42, headSeq: 42, headHash: HASH, brokenAt: null, problem: null, detail: null }] });
