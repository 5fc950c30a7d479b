/**
 * Recovery, last step (ID-7): the e-mail code was proven; now a second factor (SMS to the
 * verified phone, TOTP, a recovery code or a passkey; never a birth date or a secret question) and a
 * new password. Then every session and remembered device is revoked, the account is
 * restricted for 24 hours (ID-10), a forced reset is cleared, and the customer is told by
 * e-mail, push and SMS, with a "this wasn't me" link.
 *
 * The device that recovered gets a fresh session and is remembered: it proved more than a
 * login on a new device does (the mailbox, a second factor and the new password), so
 * asking it to log in again would only make it prove a second factor twice.
 */
import { withTransaction } from '../../db/tx.js';
import { newUuid } from '../../shared/ids.js';
import { changeDetail, recoveredSms } from '../messages.js';
import { checkPassword, type PasswordProblem } from '../password.js';
import { completeFlow, failFlow, isLive, lockFlow } from '../repo/flows.js';
import { insertDevice, revokeAllDevices, revokeAllSessions } from '../repo/sessions.js';
import { findUser, setPassword, setRestrictedUntil } from '../repo/users.js';
import type { PasskeyAssertion } from '../deps.js';
import type { ClientInfo, IssuedSession } from '../sessions.js';
import type { AccountDeps } from './deps.js';
import { checkPasskeyFactor, checkSecondFactor, type FactorMethod, type FactorOutcome, type PasskeyOutcome } from './second-factor.js';

export type CompleteRecoveryInput =
  ({ method: FactorMethod; code: string } | { method: 'passkey'; response: PasskeyAssertion })
  & { newPassword: string; deviceLabel: string; transport: 'cookie' | 'bearer' };

export type CompleteRecoveryResult =
  | { kind: 'recovered'; userId: string; session: IssuedSession; deviceCredential: string; restrictedUntil: Date }
  | Exclude<FactorOutcome | PasskeyOutcome, { kind: 'ok' }>
  | { kind: 'weak_password'; reason: PasswordProblem }
  | { kind: 'email_not_verified' }
  | { kind: 'account_frozen' }
  | { kind: 'flow_not_found' };

export async function completeRecovery(d: AccountDeps, flowId: string, input: CompleteRecoveryInput, client: ClientInfo): Promise<CompleteRecoveryResult> {
  // Policy and hashing run before the transaction: argon2 is slow, and a retried
  // transaction must not hash again. This read outside it (its row lock ends with the
  // statement) is only a preview; the transaction below checks everything again.
  const peek = await lockFlow(d.pool, flowId, 'recovery');
  if (!isLive(peek, d.clock.now())) return { kind: 'flow_not_found' };
  // Before the policy check: its "contains your e-mail" answer must not help a stranger.
  if (!peek.data.emailVerified || !peek.user_id) return { kind: 'email_not_verified' };
  const owner = await findUser(d.pool, peek.user_id);
  const weak = checkPassword(input.newPassword, owner ? [owner.email, owner.phone] : []);
  if (weak) return { kind: 'weak_password', reason: weak };
  const passwordHash = await d.hasher.hash(input.newPassword);

  const now = d.clock.now();
  return withTransaction(d.pool, async (q): Promise<CompleteRecoveryResult> => {
    const flow = await lockFlow(q, flowId, 'recovery');
    if (!isLive(flow, now) || !flow.user_id) return { kind: 'flow_not_found' };
    if (!flow.data.emailVerified) return { kind: 'email_not_verified' };
    const user = (await findUser(q, flow.user_id, { lock: true }))!;

    const factor = input.method === 'passkey'
      ? await checkPasskeyFactor(d, q, flow, user.id, input.response, now)
      : await checkSecondFactor(d, q, flow, user.id, input.method, input.code, now);
    if (factor.kind === 'too_many_attempts') await failFlow(q, flowId, now);
    if (factor.kind !== 'ok') return factor;
    await completeFlow(q, flowId, now);
    // Recovery never undoes a freeze: that is for support, who can see why it happened.
    if (user.frozen_at) return { kind: 'account_frozen' };

    await setPassword(q, user.id, passwordHash, now);
    // Everything the old credentials opened is closed, before this device is added.
    await revokeAllSessions(q, user.id, now);
    await revokeAllDevices(q, user.id, now);
    const restrictedUntil = new Date(now.getTime() + d.restrictedModeMs);
    await setRestrictedUntil(q, user.id, restrictedUntil);

    const deviceId = newUuid();
    await insertDevice(q, { id: deviceId, userId: user.id, label: input.deviceLabel, now });
    const session = await d.sessions.issue(q, user.id, deviceId, input.transport, client, now);
    const deviceCredential = await d.devices.issue({ userId: user.id, deviceId }, now);

    const link = await d.freezeLinks.issue(q, user.id, 'recovery_completed', now);
    await d.events.record(q, user, 'recovery_completed', { ip: client.ip, deviceId, now }, {
      eventId: link.eventId, freezeLink: link.url,
      details: { method: input.method, device: input.deviceLabel },
      detail: changeDetail(user.locale, { ip: client.ip, when: now }),
    });
    await d.notifier.notify(q, { channel: 'sms', to: user.phone, text: recoveredSms(user.locale, link.url) });
    return { kind: 'recovered', userId: user.id, session, deviceCredential, restrictedUntil };
  });
}
