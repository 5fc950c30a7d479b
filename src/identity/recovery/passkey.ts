/**
 * A passkey as recovery's second factor (ID-7): options only once the e-mail code is
 * proven, as for the SMS; the challenge lives on the recovery flow (passkey-step.ts).
 */
import { withTransaction } from '../../db/tx.js';
import type { IdentityDeps } from '../deps.js';
import { offerPasskey, type PasskeyStepOptions } from '../passkey-step.js';
import { isLive, lockFlow } from '../repo/flows.js';

export type RecoveryPasskeyOptionsResult =
  | ({ kind: 'options' } & PasskeyStepOptions)
  | { kind: 'email_not_verified' }
  | { kind: 'factor_unavailable' }
  | { kind: 'flow_not_found' };

export async function recoveryPasskeyOptions(d: IdentityDeps, flowId: string): Promise<RecoveryPasskeyOptionsResult> {
  const now = d.clock.now();
  return withTransaction(d.pool, async (q): Promise<RecoveryPasskeyOptionsResult> => {
    const flow = await lockFlow(q, flowId, 'recovery');
    if (!isLive(flow, now)) return { kind: 'flow_not_found' };
    if (!flow.data.emailVerified || !flow.user_id) return { kind: 'email_not_verified' };
    const offered = await offerPasskey(d, q, flow, flow.user_id, now);
    return offered ? { kind: 'options', ...offered } : { kind: 'factor_unavailable' };
  });
}
