/**
 * Checking a second factor inside a locked flow: an SMS code from the flow's own
 * challenge, or TOTP / a recovery code through `factors.verify`. Shared by recovery and
 * re-authentication so both count wrong answers the same way; recovery also takes a
 * passkey (`checkPasskeyFactor`), counted against the same budget.
 */
import type { Queryable } from '../../db/pool.js';
import type { IdentityDeps, PasskeyAssertion } from '../deps.js';
import { checkPasskey } from '../passkey-step.js';
import { updateFlowData, type FlowRow } from '../repo/flows.js';

/** Wrong TOTP / recovery codes (and, for re-authentication, passwords) a flow tolerates. */
export const MAX_FLOW_FAILURES = 5;

export type FactorMethod = 'sms' | 'totp' | 'recovery_code';

export type FactorOutcome =
  | { kind: 'ok' }
  | { kind: 'wrong'; remaining: number }
  | { kind: 'expired' }
  | { kind: 'code_not_sent' }
  | { kind: 'factor_unavailable' }
  /** The budget is spent; the caller ends the flow (and, for re-authentication, the session). */
  | { kind: 'too_many_attempts' };

export async function checkSecondFactor(
  d: IdentityDeps, q: Queryable, flow: FlowRow, userId: string, method: FactorMethod, code: string, now: Date,
): Promise<FactorOutcome> {
  if (method === 'sms') {
    const r = await d.codes.verify(q, flow.id, 'sms', code, now);
    switch (r.kind) {
      case 'verified': return { kind: 'ok' };
      case 'locked': return { kind: 'too_many_attempts' };
      case 'not_sent': return { kind: 'code_not_sent' };
      case 'expired': return { kind: 'expired' };
      case 'wrong': return r;
    }
  }
  const r = await d.factors.verify(q, userId, method, code, now);
  if (r === 'ok') return { kind: 'ok' };
  if (r === 'unavailable') return { kind: 'factor_unavailable' };
  return countFailure(q, flow);
}

export type PasskeyOutcome =
  | { kind: 'ok' }
  | { kind: 'passkey_invalid'; remaining: number }
  | { kind: 'passkey_cloned'; remaining: number }
  | { kind: 'too_many_attempts' };

/** A passkey's assertion for the challenge this flow issued; a refused one counts as a wrong answer. */
export async function checkPasskeyFactor(
  d: IdentityDeps, q: Queryable, flow: FlowRow, userId: string, response: PasskeyAssertion, now: Date,
): Promise<PasskeyOutcome> {
  const r = await checkPasskey(d, q, flow, userId, response, now);
  if (r.verdict === 'ok') return { kind: 'ok' };
  const counted = await countFailure(q, r.flow);
  if (counted.kind === 'too_many_attempts') return counted;
  return { kind: r.verdict === 'cloned' ? 'passkey_cloned' : 'passkey_invalid', remaining: counted.remaining };
}

/**
 * Counts one wrong answer against the flow's budget. TOTP and recovery codes have no
 * counter of their own, so without this a flow would allow unlimited guesses.
 */
export async function countFailure(q: Queryable, flow: FlowRow): Promise<{ kind: 'wrong'; remaining: number } | { kind: 'too_many_attempts' }> {
  const failures = Number(flow.data.failures ?? 0) + 1;
  if (failures >= MAX_FLOW_FAILURES) return { kind: 'too_many_attempts' };
  await updateFlowData(q, flow.id, { ...flow.data, failures });
  return { kind: 'wrong', remaining: MAX_FLOW_FAILURES - failures };
}
