/**
 * A scanned code's refusal as a till sees it (PAY-5): one problem code per reason, so the
 * cashier can tell the customer what to do. Shared by every till route that consumes codes.
 */
import { problem, type ProblemError } from '../shared/errors.js';
import type { CodeOutcome } from './consume.js';
import { codesErrors } from './errors.js';

export type CodeRefusal = Exclude<CodeOutcome, { kind: 'ok' }>['kind'];

const CODES = {
  unknown: 'payment_code_unknown',
  expired: 'payment_code_expired',
  used: 'payment_code_used',
  superseded: 'payment_code_superseded',
  revoked: 'payment_code_revoked',
} as const satisfies Record<CodeRefusal, keyof typeof codesErrors.codes>;

export function codeRefusal(kind: CodeRefusal): ProblemError {
  return problem(codesErrors, CODES[kind]);
}
