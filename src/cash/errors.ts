import { defineErrors } from '../shared/errors.js';

/**
 * What a cash top-up at the register can be refused with (WAL-4, WAL-5), besides the
 * scanned code's own refusals (`payment_code_*`) and identity's `account_frozen`.
 */
export const cashErrors = defineErrors('cash', {
  cash_topup_limit_exceeded: {
    status: 422, title: 'This cash top-up would exceed a limit',
    hint: '`reason` says which: `below_minimum`, `not_in_steps` (¥1,000 steps), `above_maximum` (¥49,000 at a time) or `balance_limit` (a wallet holds at most ¥100,000). `limit` is its size; `remaining` the most the till may take now, in whole steps. Nothing was credited and the code still works: try again with a smaller amount and a new Idempotency-Key.',
  },
});
