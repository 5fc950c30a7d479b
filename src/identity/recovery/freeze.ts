/**
 * "This wasn't me" (ID-8): a link from a security notice freezes the account, signs it
 * out everywhere, forgets every device and records `account_frozen`. Looking at the link
 * (GET) changes nothing, because mail scanners and link previews fetch links on their
 * own; only the confirmation (POST) acts, and it spends the link.
 */
import { withTransaction } from '../../db/tx.js';
import { maskEmail } from '../contact.js';
import type { Locale, SecurityEventKind } from '../messages.js';
import { revokeAllDevices, revokeAllSessions } from '../repo/sessions.js';
import { findUser, freezeUser } from '../repo/users.js';
import type { ClientInfo } from '../sessions.js';
import type { AccountDeps } from './deps.js';

export type FreezePreview =
  | { kind: 'valid'; locale: Locale; event: SecurityEventKind; account: string; issuedAt: Date }
  | { kind: 'invalid' };

/** What the link is about, for the confirmation page; the link stays unspent. */
export async function previewFreeze(d: AccountDeps, token: string): Promise<FreezePreview> {
  const now = d.clock.now();
  return withTransaction(d.pool, async (q): Promise<FreezePreview> => {
    const link = await d.freezeLinks.open(q, token, now);
    if (link.kind === 'invalid') return link;
    const user = (await findUser(q, link.userId))!;
    return { kind: 'valid', locale: user.locale, event: link.event, account: maskEmail(user.email), issuedAt: link.issuedAt };
  });
}

export type FreezeResult =
  | { kind: 'frozen'; locale: Locale; sessionsRevoked: number }
  | { kind: 'invalid' };

export async function freezeAccount(d: AccountDeps, token: string, client: ClientInfo): Promise<FreezeResult> {
  const now = d.clock.now();
  return withTransaction(d.pool, async (q): Promise<FreezeResult> => {
    const link = await d.freezeLinks.open(q, token, now);
    if (link.kind === 'invalid') return link;
    await d.freezeLinks.spend(q, link.flowId, now);
    const user = (await findUser(q, link.userId, { lock: true }))!;
    // A second link for an account already frozen still ends whatever is signed in now.
    await freezeUser(q, user.id, `this_wasnt_me:${link.event}`, now);
    const sessionsRevoked = await revokeAllSessions(q, user.id, now);
    await revokeAllDevices(q, user.id, now);
    await d.events.record(q, user, 'account_frozen', { ip: client.ip, deviceId: null, now }, {
      details: { via: 'freeze_link', event: link.event, eventId: link.eventId, sessionsRevoked },
    });
    return { kind: 'frozen', locale: user.locale, sessionsRevoked };
  });
}
