/**
 * Re-authentication (ID-8, ID-9): the password or a second factor again, then a NEW
 * session (the old token is revoked: session fixation defence) whose authenticated_at is
 * now, which opens privileged changes for the next few minutes.
 *
 * Each session has one `reauth` flow, under the session's own id. Its budget of wrong
 * answers (passwords, TOTP, recovery codes, refused passkeys, and the SMS challenge's
 * own five) lasts as long as the session, so asking again never refills it; spending it
 * signs the session out. A stolen session therefore cannot be used to guess the password
 * or a code.
 */
import { withTransaction } from '../../db/tx.js';
import type { Queryable } from '../../db/pool.js';
import { attemptAccount, type IdentityDeps, type LoginAttempt, type PasskeyAssertion } from '../deps.js';
import { codeSms } from '../messages.js';
import type { SendGate, SendLimited } from '../otp.js';
import { completeFlow, failFlow, insertFlowIfAbsent, lockFlow, type FlowRow } from '../repo/flows.js';
import { markSecondFactor, revokeSession } from '../repo/sessions.js';
import type { Authenticated, ClientInfo, IssuedSession } from '../sessions.js';
import {
  checkPasskeyFactor, checkSecondFactor, countFailure, type FactorMethod, type FactorOutcome, type PasskeyOutcome,
} from '../recovery/second-factor.js';

export type ReauthInput =
  | { password: string; proofOfWork?: string | undefined }
  | { method: FactorMethod; code: string }
  /** The answer to POST /v1/me/reauthenticate/passkey/options (reauth-passkey.ts). */
  | { method: 'passkey'; response: PasskeyAssertion };

export type ReauthResult =
  | { kind: 'reauthenticated'; session: IssuedSession; transport: 'cookie' | 'bearer' }
  | Exclude<FactorOutcome | PasskeyOutcome, { kind: 'ok' | 'too_many_attempts' }>
  | { kind: 'password_wrong'; remaining: number }
  /** The budget is spent and the session signed out. */
  | { kind: 'locked' }
  | { kind: 'wait'; retryAfterMs: number }
  | { kind: 'proof_of_work_required' }
  | { kind: 'account_frozen' };

/** The session's re-authentication flow, made on first use with its SMS challenge. */
export async function reauthFlow(d: IdentityDeps, q: Queryable, auth: Authenticated, now: Date): Promise<FlowRow> {
  const { session, user } = auth;
  const made = await insertFlowIfAbsent(q, { id: session.id, kind: 'reauth', userId: user.id, data: { failures: 0 }, now, expiresAt: session.expires_at });
  if (made) await d.codes.create(q, { flowId: session.id, purpose: 'sms', channel: 'sms', destination: user.phone, now });
  return (await lockFlow(q, session.id, 'reauth'))!;
}

/** Ends the session whose budget is spent. */
async function lockOut(q: Queryable, auth: Authenticated, now: Date): Promise<{ kind: 'locked' }> {
  await failFlow(q, auth.session.id, now);
  await revokeSession(q, auth.user.id, auth.session.id, now);
  return { kind: 'locked' };
}

/**
 * Counts a wrong answer given inside a privileged session (a wrong current password on a
 * password change) against the same budget, so it is no guessing oracle either.
 */
export async function spendWrongAnswer(d: IdentityDeps, auth: Authenticated): Promise<{ kind: 'password_wrong'; remaining: number } | { kind: 'locked' }> {
  const now = d.clock.now();
  return withTransaction(d.pool, async (q) => {
    const flow = await reauthFlow(d, q, auth, now);
    const r = flow.failed_at ? { kind: 'too_many_attempts' as const } : await countFailure(q, flow);
    return r.kind === 'wrong' ? { kind: 'password_wrong' as const, remaining: r.remaining } : lockOut(q, auth, now);
  });
}

export async function reauthenticate(d: IdentityDeps, auth: Authenticated, input: ReauthInput, client: ClientInfo): Promise<ReauthResult> {
  const { user, session } = auth;
  if (user.frozen_at) return { kind: 'account_frozen' };
  const now = d.clock.now();
  let passwordOk: boolean | undefined;
  if ('password' in input) {
    // The credential-stuffing counters (ID-5) see these guesses too.
    const attempt: LoginAttempt = { ip: client.ip ?? 'unknown', account: attemptAccount(user.id), knownDevice: !!session.device_id, proofOfWork: input.proofOfWork };
    const decision = await d.guard.check(attempt, now);
    if (decision.kind !== 'allow') return decision;
    passwordOk = await d.hasher.verify(user.password_hash, input.password); // slow: outside the transaction
    await (passwordOk ? d.guard.succeeded(attempt, now) : d.guard.failed(attempt, now));
  }
  return withTransaction(d.pool, async (q): Promise<ReauthResult> => {
    const flow = await reauthFlow(d, q, auth, now);
    if (flow.failed_at || flow.completed_at) return lockOut(q, auth, now);
    if (passwordOk === false) {
      const r = await countFailure(q, flow);
      return r.kind === 'wrong' ? { kind: 'password_wrong', remaining: r.remaining } : lockOut(q, auth, now);
    }
    if ('method' in input) {
      // A passkey's challenge lives on this session's flow (passkey-step.ts): one made for
      // another session, or already used, or expired, is a wrong answer of this budget.
      const r = input.method === 'passkey'
        ? await checkPasskeyFactor(d, q, flow, user.id, input.response, now)
        : await checkSecondFactor(d, q, flow, user.id, input.method, input.code, now);
      if (r.kind === 'too_many_attempts') return lockOut(q, auth, now);
      if (r.kind !== 'ok') return r;
    }
    await completeFlow(q, flow.id, now);
    // Revoke first and check: a session signed out meanwhile must not be renewed.
    if (!(await revokeSession(q, user.id, session.id, now))) return { kind: 'locked' };
    const fresh = await d.sessions.issue(q, user.id, session.device_id, session.transport, client, now);
    // A second factor (not a password) answers a risk step-up for the next minutes (RISK-1).
    if ('method' in input) await markSecondFactor(q, fresh.sessionId, now);
    return { kind: 'reauthenticated', session: fresh, transport: session.transport };
  });
}

export type SendReauthSmsResult =
  | { kind: 'sent' }
  | { kind: 'too_soon'; retryAfterMs: number }
  | { kind: 'too_many_sends' }
  | { kind: 'locked' }
  | SendLimited;

/** The SMS code for re-authenticating, to the verified phone; resends are spaced and capped per session. */
export async function sendReauthSms(d: IdentityDeps, auth: Authenticated, client: ClientInfo): Promise<SendReauthSmsResult> {
  const now = d.clock.now();
  const gate: SendGate = (to) => d.sends.take(to, client.ip, now);
  return withTransaction(d.pool, async (q): Promise<SendReauthSmsResult> => {
    const flow = await reauthFlow(d, q, auth, now);
    if (flow.failed_at || flow.completed_at) return { kind: 'locked' };
    const sent = await d.codes.send(q, flow.id, 'sms', now, gate);
    if (sent.kind !== 'sent') return sent;
    await d.notifier.notify(q, { channel: 'sms', to: auth.user.phone, text: codeSms(auth.user.locale, sent.code) });
    return { kind: 'sent' };
  });
}
