/** The outcomes every identity flow shares (codes, factors, flows, sends), mapped to their problems once. */
import { problem, type ProblemError } from '../shared/errors.js';
import { fromPublicId } from '../shared/ids.js';
import { identityErrors } from './errors.js';

export type CommonOutcome =
  | { kind: 'wrong'; remaining: number }
  | { kind: 'passkey_invalid'; remaining: number }
  | { kind: 'passkey_cloned'; remaining: number }
  | { kind: 'expired' }
  | { kind: 'code_not_sent' }
  | { kind: 'factor_unavailable' }
  | { kind: 'too_many_attempts' }
  | { kind: 'flow_not_found' }
  | { kind: 'email_not_verified' }
  | { kind: 'account_frozen' }
  | { kind: 'too_soon'; retryAfterMs: number }
  | { kind: 'too_many_sends' }
  | { kind: 'locked' }
  | { kind: 'limited'; retryAfterMs: number };

export function retryAfter(ms: number) {
  return { retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)) };
}

export function commonProblem(r: CommonOutcome): ProblemError {
  switch (r.kind) {
    case 'wrong': return problem(identityErrors, 'code_wrong', undefined, { remaining: r.remaining });
    case 'passkey_invalid': return problem(identityErrors, 'passkey_invalid', undefined, { remaining: r.remaining });
    case 'passkey_cloned': return problem(identityErrors, 'passkey_cloned', undefined, { remaining: r.remaining });
    case 'expired': return problem(identityErrors, 'code_expired');
    case 'code_not_sent': return problem(identityErrors, 'code_not_sent');
    case 'factor_unavailable': return problem(identityErrors, 'factor_unavailable');
    case 'too_many_attempts': return problem(identityErrors, 'too_many_attempts');
    case 'flow_not_found': return problem(identityErrors, 'flow_not_found');
    case 'email_not_verified': return problem(identityErrors, 'email_not_verified');
    case 'account_frozen': return problem(identityErrors, 'account_frozen');
    case 'too_soon': return problem(identityErrors, 'resend_too_soon', undefined, retryAfter(r.retryAfterMs));
    case 'too_many_sends': return problem(identityErrors, 'resend_limit');
    case 'locked': return problem(identityErrors, 'too_many_attempts');
    case 'limited': return problem(identityErrors, 'code_send_limit', undefined, retryAfter(r.retryAfterMs));
  }
}

export function flowUuid(id: string): string {
  const uuid = fromPublicId('flw', id);
  if (!uuid) throw problem(identityErrors, 'flow_not_found');
  return uuid;
}
