/**
 * Changing the password in a privileged session (ID-8): every OTHER session is signed
 * out (whoever knew the old password loses what it opened), the account is restricted
 * for 24 hours (ID-10) and the customer is told, with a "this wasn't me" link (ID-13).
 */
import { withTransaction } from '../../db/tx.js';
import { changeDetail } from '../messages.js';
import { checkPassword, type PasswordProblem } from '../password.js';
import { revokeAllSessions } from '../repo/sessions.js';
import { setPassword, setRestrictedUntil } from '../repo/users.js';
import type { AccountDeps } from '../recovery/deps.js';
import type { Authenticated, ClientInfo } from '../sessions.js';
import { spendWrongAnswer } from './reauth.js';

export interface ChangePasswordInput {
  /** Optional: the privileged session already proved it; when given it must be right. */
  currentPassword?: string | undefined;
  newPassword: string;
}

export type ChangePasswordResult =
  | { kind: 'changed'; sessionsRevoked: number; restrictedUntil: Date }
  | { kind: 'weak_password'; reason: PasswordProblem }
  | { kind: 'password_wrong'; remaining: number }
  | { kind: 'locked' };

export async function changePassword(d: AccountDeps, auth: Authenticated, input: ChangePasswordInput, client: ClientInfo): Promise<ChangePasswordResult> {
  const { user, session } = auth;
  if (input.currentPassword !== undefined && !(await d.hasher.verify(user.password_hash, input.currentPassword))) {
    return spendWrongAnswer(d, auth);
  }
  const weak = checkPassword(input.newPassword, [user.email, user.phone]);
  if (weak) return { kind: 'weak_password', reason: weak };
  const passwordHash = await d.hasher.hash(input.newPassword);

  const now = d.clock.now();
  return withTransaction(d.pool, async (q): Promise<ChangePasswordResult> => {
    await setPassword(q, user.id, passwordHash, now);
    const sessionsRevoked = await revokeAllSessions(q, user.id, now, session.id);
    const restrictedUntil = new Date(now.getTime() + d.restrictedModeMs);
    await setRestrictedUntil(q, user.id, restrictedUntil);
    const link = await d.freezeLinks.issue(q, user.id, 'password_changed', now);
    await d.events.record(q, user, 'password_changed', { ip: client.ip, deviceId: session.device_id, now }, {
      eventId: link.eventId, freezeLink: link.url, details: { sessionsRevoked },
      detail: changeDetail(user.locale, { ip: client.ip, when: now }),
    });
    return { kind: 'changed', sessionsRevoked, restrictedUntil };
  });
}
