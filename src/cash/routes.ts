/** POST /pos/v1/cash-topups: a cash top-up signed by the cashier's terminal (WAL-4, PAY-2). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { codeRefusal } from '../codes/refusals.js';
import { problemBody, problemSchema } from '../http/problem.js';
import { idempotencyKeyOf, sendIdempotent } from '../idempotency/http.js';
import { requestDigest, type Idempotency } from '../idempotency/idempotency.js';
import { identityErrors } from '../identity/errors.js';
import { POS_SECURITY, posProblems } from '../pos/routes.js';
import { problem, type ProblemError } from '../shared/errors.js';
import { refuseIfPaused } from '../ops/switches/errors.js';
import type { FeatureGate } from '../ops/switches/features.js';
import type { CashDeps } from './deps.js';
import { cashErrors } from './errors.js';
import { cashReceiptSchema, cashTopupBody, receiptView } from './schemas.js';
import { creditCash, type CashTopupResult } from './topup.js';

const PATH = '/pos/v1/cash-topups';

function refusal(r: Exclude<CashTopupResult, { kind: 'credited' }>): ProblemError {
  switch (r.kind) {
    case 'code_refused': return codeRefusal(r.reason);
    case 'frozen': return problem(identityErrors, 'account_frozen');
    case 'limit': return problem(cashErrors, 'cash_topup_limit_exceeded', limitDetail(r), { reason: r.reason, limit: r.limit, remaining: r.remaining });
  }
}

function limitDetail(r: Extract<CashTopupResult, { kind: 'limit' }>): string {
  const y = (n: number) => `¥${n.toLocaleString('en-US')}`;
  switch (r.reason) {
    case 'below_minimum': return `A cash top-up is at least ${y(r.limit)}.`;
    case 'not_in_steps': return `Cash top-ups are in steps of ${y(r.limit)}.`;
    case 'above_maximum': return `A cash top-up is at most ${y(r.limit)}.`;
    case 'balance_limit': return `A wallet holds at most ${y(r.limit)}; the till may take up to ${y(r.remaining)} now.`;
    default: return `This top-up is over a limit (${r.reason}).`;
  }
}

/** `switches`: cash top-ups have a kill switch, global or per store (OPS-1). */
export function cashTopupRoutes(deps: CashDeps, idempotency: Idempotency, switches: FeatureGate): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(PATH, {
      schema: {
        tags: ['pos'], summary: 'Top up a customer\'s wallet with cash taken at the register', security: POS_SECURITY,
        description: 'Signed by the cashier\'s terminal. Uses up the payment code the customer shows and credits the amount in one step. Needs an `Idempotency-Key` header (per terminal): a retry with the same key and body answers the first result, refusals included. A refused top-up takes nothing: the code still works for a smaller amount. Restricted mode does not stop cash top-ups; a frozen account does. While operations have cash top-ups switched off (everywhere or at this store): `503 feature_paused`, the code untouched, the key free for a retry later.',
        headers: z.object({ 'idempotency-key': z.string().max(255).optional().describe('Required. Unique per top-up at this terminal; reuse it only to retry') }).loose(),
        body: cashTopupBody,
        response: { 201: cashReceiptSchema, 400: problemSchema, ...posProblems, 409: problemSchema, 422: problemSchema, 423: problemSchema, 503: problemSchema },
      },
    }, async (req, reply) => {
      const terminal = req.terminal!;
      const key = idempotencyKeyOf(req);
      // Keys are the terminal's own: another terminal choosing the same key is another top-up.
      const r = await idempotency.execute(`pos:${terminal.id}`, key, requestDigest('POST', PATH, req.body), async (q) => {
        // Before the code is used up; thrown, so the key is released and nothing kept, while
        // a retry of a top-up answered before the pause still gets that answer.
        refuseIfPaused(switches, 'cash_topups', terminal.storeId);
        const out = await creditCash(deps, q, terminal, req.body);
        if (out.kind === 'credited') return { status: 201, body: receiptView(out) };
        const err = refusal(out);
        return { status: err.status, body: problemBody(err, req.id, deps.publicUrl) };
      });
      return sendIdempotent(reply, r);
    });
  };
}
