/**
 * A passkey as the answer to re-authentication (ID-8, ID-9) and so to a risk step-up
 * (RISK-1). The challenge lives on the session's own `reauth` flow (passkey-step.ts), so
 * an assertion made for another session's challenge meets a different one there, and it
 * is burnt at the first attempt; refused assertions spend the same budget of five wrong
 * answers as passwords and codes.
 */
import { withTransaction } from '../../db/tx.js';
import type { IdentityDeps } from '../deps.js';
import { offerPasskey, type PasskeyStepOptions } from '../passkey-step.js';
import type { Authenticated } from '../sessions.js';
import { reauthFlow } from './reauth.js';

export type ReauthPasskeyOptionsResult =
  | ({ kind: 'options' } & PasskeyStepOptions)
  /** No passkey on this account. */
  | { kind: 'factor_unavailable' }
  | { kind: 'locked' }
  | { kind: 'account_frozen' };

/** Options naming only this account's passkeys; a new challenge replaces the session's earlier one. */
export async function reauthPasskeyOptions(d: IdentityDeps, auth: Authenticated): Promise<ReauthPasskeyOptionsResult> {
  if (auth.user.frozen_at) return { kind: 'account_frozen' };
  const now = d.clock.now();
  return withTransaction(d.pool, async (q): Promise<ReauthPasskeyOptionsResult> => {
    const flow = await reauthFlow(d, q, auth, now);
    if (flow.failed_at || flow.completed_at) return { kind: 'locked' };
    const offered = await offerPasskey(d, q, flow, auth.user.id, now);
    return offered ? { kind: 'options', ...offered } : { kind: 'factor_unavailable' };
  });
}
