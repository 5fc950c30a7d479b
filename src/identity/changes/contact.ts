/**
 * Changing the e-mail address or phone number in a privileged session (ID-8): a code to
 * the NEW address or number proves it; then the switch, 24 hours of restricted mode
 * (ID-10), and a notice with a "this wasn't me" link to the OLD one (the old address by
 * e-mail; the old number by SMS, besides the account's e-mail).
 *
 * One verified address or number per account, without enumeration: when another account
 * holds the new one, its holder gets a notice instead of the code, and the requester gets
 * the same answers as anyone who mistypes a code. Only after a code is proven (a race
 * with a sign-up) does the answer say the address or number is taken.
 */
import { withTransaction } from '../../db/tx.js';
import { newUuid } from '../../shared/ids.js';
import { maskEmail, maskPhone, normaliseEmail, normaliseMobile } from '../contact.js';
import {
  changeDetail, codeEmail, codeSms, contactInUseEmail, contactInUseSms, phoneChangedSms,
} from '../messages.js';
import { completeFlow, failFlow, insertFlow, lockFlow } from '../repo/flows.js';
import { findUser, findUserByEmail, findUserByPhone, setContact, setRestrictedUntil, type UserRow } from '../repo/users.js';
import type { AccountDeps } from '../recovery/deps.js';
import type { Authenticated, ClientInfo } from '../sessions.js';
import type { Queryable } from '../../db/pool.js';
import type { SendGate, SendLimited } from '../otp.js';

export type ContactKind = 'email' | 'phone';
const FLOW = { email: 'change_email', phone: 'change_phone' } as const;
export const CHANGE_FLOW_MS = 10 * 60_000;

export type StartChangeResult =
  | { kind: 'started'; flowId: string; expiresInMs: number }
  | { kind: 'invalid' }
  | { kind: 'unchanged' }
  | SendLimited;

export async function startContactChange(d: AccountDeps, auth: Authenticated, kind: ContactKind, raw: string, client: ClientInfo): Promise<StartChangeResult> {
  const { user } = auth;
  const value = kind === 'email' ? normaliseEmail(raw) : normaliseMobile(raw);
  if (!value) return { kind: 'invalid' };
  if (value === user[kind]) return { kind: 'unchanged' };
  const now = d.clock.now();
  const flowId = newUuid();
  const gate: SendGate = (to) => d.sends.take(to, client.ip, now);
  const r = await withTransaction(d.pool, async (q): Promise<SendLimited | undefined> => {
    await insertFlow(q, { id: flowId, kind: FLOW[kind], userId: user.id, data: { value }, now, expiresAt: new Date(now.getTime() + CHANGE_FLOW_MS) });
    await d.codes.create(q, { flowId, purpose: kind, channel: kind === 'email' ? 'email' : 'sms', destination: value, now });
    // Made (and budgeted) either way, so a taken address answers exactly like a mistyped code.
    const sent = await d.codes.send(q, flowId, kind, now, gate);
    if (sent.kind === 'limited') return sent;
    if (sent.kind !== 'sent') throw new Error(`a fresh challenge refused its first send: ${sent.kind}`);
    const holder = kind === 'email' ? await findUserByEmail(q, value) : await findUserByPhone(q, value);
    await sendCodeOrNotice(d, q, user, kind, value, holder ? undefined : sent.code);
    return undefined;
  });
  return r ?? { kind: 'started', flowId, expiresInMs: CHANGE_FLOW_MS };
}

async function sendCodeOrNotice(d: AccountDeps, q: Queryable, user: UserRow, kind: ContactKind, to: string, code: string | undefined) {
  if (kind === 'email') {
    const m = code ? codeEmail(user.locale, code, 'change_email') : contactInUseEmail(user.locale);
    await d.notifier.notify(q, { channel: 'email', to, subject: m.subject, text: m.text });
  } else {
    await d.notifier.notify(q, { channel: 'sms', to, text: code ? codeSms(user.locale, code) : contactInUseSms(user.locale) });
  }
}

export type ConfirmChangeResult =
  | { kind: 'changed'; user: Pick<UserRow, 'email' | 'phone'>; restrictedUntil: Date }
  | { kind: 'wrong'; remaining: number }
  | { kind: 'expired' }
  | { kind: 'code_not_sent' }
  | { kind: 'too_many_attempts' }
  | { kind: 'flow_not_found' }
  | { kind: 'taken' };

export async function confirmContactChange(
  d: AccountDeps, auth: Authenticated, kind: ContactKind, flowId: string, code: string, client: ClientInfo,
): Promise<ConfirmChangeResult> {
  const now = d.clock.now();
  return withTransaction(d.pool, async (q): Promise<ConfirmChangeResult> => {
    const flow = await lockFlow(q, flowId, FLOW[kind]);
    // Another account's flow is as good as none.
    if (!flow || flow.user_id !== auth.user.id || flow.completed_at || flow.failed_at || flow.expires_at.getTime() <= now.getTime()) {
      return { kind: 'flow_not_found' };
    }
    const r = await d.codes.verify(q, flowId, kind, code, now);
    if (r.kind === 'locked') {
      await failFlow(q, flowId, now);
      return { kind: 'too_many_attempts' };
    }
    if (r.kind === 'not_sent') return { kind: 'code_not_sent' };
    if (r.kind !== 'verified') return r;

    const value = String(flow.data.value);
    const user = (await findUser(q, auth.user.id, { lock: true }))!;
    if (!(await setContact(q, user.id, kind, value, now))) {
      await failFlow(q, flowId, now);
      return { kind: 'taken' };
    }
    await completeFlow(q, flowId, now);
    const restrictedUntil = new Date(now.getTime() + d.restrictedModeMs);
    await setRestrictedUntil(q, user.id, restrictedUntil);
    await notifyChange(d, q, user, kind, value, { ip: client.ip, deviceId: auth.session.device_id, now });
    return { kind: 'changed', user: { email: kind === 'email' ? value : user.email, phone: kind === 'phone' ? value : user.phone }, restrictedUntil };
  });
}

/** `user` still holds the old address and number. */
async function notifyChange(d: AccountDeps, q: Queryable, user: UserRow, kind: ContactKind, value: string, ctx: { ip: string | null; deviceId: string | null; now: Date }) {
  const event = kind === 'email' ? 'email_changed' : 'phone_changed';
  const link = await d.freezeLinks.issue(q, user.id, event, ctx.now);
  const mask = kind === 'email' ? maskEmail : maskPhone;
  const detail = changeDetail(user.locale, { from: mask(user[kind]), to: mask(value), ip: ctx.ip, when: ctx.now });
  const opts = { eventId: link.eventId, freezeLink: link.url, detail, details: { from: mask(user[kind]), to: mask(value) } };
  if (kind === 'email') {
    // The account's address is the new one now; the old one gets the same notice and link.
    await d.events.record(q, { ...user, email: value }, event, ctx, { ...opts, extraEmails: [user.email] });
  } else {
    await d.events.record(q, user, event, ctx, opts);
    await d.notifier.notify(q, { channel: 'sms', to: user.phone, text: phoneChangedSms(user.locale, mask(value), link.url) });
  }
}
