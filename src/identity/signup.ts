/**
 * Sign-up (ID-1): e-mail proven by a code sent to it, phone proven by an SMS code,
 * a password that passes the policy. One verified phone number belongs to one account.
 *
 * No enumeration (ID-6): an address or number that already has an account gets the same
 * answer, after the same work; the code is simply never sent (its owner gets a notice
 * instead), so the flow cannot complete.
 */
import type { Queryable } from '../db/pool.js';
import { withTransaction } from '../db/tx.js';
import { newUuid } from '../shared/ids.js';
import { normaliseEmail, normaliseMobile } from './contact.js';
import type { ClientInfo, IssuedSession } from './sessions.js';
import type { IdentityDeps } from './deps.js';
import type { CodeSendResult, SendGate, SendLimited } from './otp.js';
import { alreadyRegisteredEmail, alreadyRegisteredSms, codeEmail, codeSms, type Locale } from './messages.js';
import { checkPassword, type PasswordProblem } from './password.js';
import { completeFlow, failFlow, insertFlow, isLive, lockFlow, updateFlowData, type FlowRow } from './repo/flows.js';
import { insertDevice } from './repo/sessions.js';
import { findUserByEmail, findUserByPhone, insertUser } from './repo/users.js';

export const SIGNUP_FLOW_MS = 30 * 60_000;

export interface SignupInput {
  email: string;
  phone: string;
  password: string;
  locale: Locale;
}

export type StartSignupResult =
  | { kind: 'started'; flowId: string; expiresAt: Date }
  | { kind: 'invalid_email' }
  | { kind: 'invalid_phone' }
  | { kind: 'weak_password'; reason: PasswordProblem }
  | SendLimited;

interface SignupData {
  email: string;
  phone: string;
  passwordHash: string;
  locale: Locale;
}

export async function startSignup(d: IdentityDeps, input: SignupInput, client: ClientInfo): Promise<StartSignupResult> {
  const email = normaliseEmail(input.email);
  if (!email) return { kind: 'invalid_email' };
  const phone = normaliseMobile(input.phone);
  if (!phone) return { kind: 'invalid_phone' };
  const problem = checkPassword(input.password, [email, phone]);
  if (problem) return { kind: 'weak_password', reason: problem };

  const passwordHash = await d.hasher.hash(input.password);
  const now = d.clock.now();
  const flowId = newUuid();
  const expiresAt = new Date(now.getTime() + SIGNUP_FLOW_MS);
  // ID-3: both messages come out of the hourly budgets before anything is written. Taken
  // for registered and new destinations alike (the owner's notice counts), so no answer differs.
  for (const to of [{ channel: 'email', destination: email }, { channel: 'sms', destination: phone }] as const) {
    const budget = await d.sends.take(to, client.ip, now);
    if (budget.kind === 'wait') return { kind: 'limited', retryAfterMs: budget.retryAfterMs };
  }
  await withTransaction(d.pool, async (q) => {
    const data: SignupData = { email, phone, passwordHash, locale: input.locale };
    await insertFlow(q, { id: flowId, kind: 'signup', userId: null, data: { ...data }, now, expiresAt });
    await d.codes.create(q, { flowId, purpose: 'email', channel: 'email', destination: email, now });
    await d.codes.create(q, { flowId, purpose: 'sms', channel: 'sms', destination: phone, now });
    await sendEmailStep(d, q, flowId, data, now);
    await sendSmsStep(d, q, flowId, data, now);
  });
  return { kind: 'started', flowId, expiresAt };
}

/**
 * Sends the step's code, or, when the address or number already has an account, a
 * notice to its owner instead. Both go through the same challenge (spacing, send cap,
 * hourly budgets via `gate` for resends), so a registered destination is answered exactly
 * like a new one. The code made for a taken destination is sent to nobody.
 */
async function sendEmailStep(d: IdentityDeps, q: Queryable, flowId: string, data: SignupData, now: Date, gate?: SendGate) {
  const sent = await d.codes.send(q, flowId, 'email', now, gate);
  if (sent.kind !== 'sent') return sent;
  const m = (await findUserByEmail(q, data.email)) ? alreadyRegisteredEmail(data.locale) : codeEmail(data.locale, sent.code, 'signup');
  await d.notifier.notify(q, { channel: 'email', to: data.email, subject: m.subject, text: m.text });
  return sent;
}

async function sendSmsStep(d: IdentityDeps, q: Queryable, flowId: string, data: SignupData, now: Date, gate?: SendGate) {
  const sent = await d.codes.send(q, flowId, 'sms', now, gate);
  if (sent.kind !== 'sent') return sent;
  const text = (await findUserByPhone(q, data.phone)) ? alreadyRegisteredSms(data.locale) : codeSms(data.locale, sent.code);
  await d.notifier.notify(q, { channel: 'sms', to: data.phone, text });
  return sent;
}

export type ResendResult = CodeSendResult;

export async function resendSignupCode(d: IdentityDeps, flowId: string, channel: 'email' | 'sms', client: ClientInfo): Promise<ResendResult> {
  const now = d.clock.now();
  // Outside the database: a transaction retried on 40001 may take a budget twice, erring towards the limit.
  const gate: SendGate = (to) => d.sends.take(to, client.ip, now);
  return withTransaction(d.pool, async (q) => {
    const flow = await lockFlow(q, flowId, 'signup');
    if (!isLive(flow, now)) return { kind: 'flow_not_found' };
    const data = flow.data as unknown as SignupData;
    const r = channel === 'email' ? await sendEmailStep(d, q, flowId, data, now, gate) : await sendSmsStep(d, q, flowId, data, now, gate);
    return r.kind === 'sent' ? { kind: 'sent' } : r;
  });
}

export type VerifySignupResult =
  | { kind: 'created'; userId: string; session: IssuedSession; deviceId: string; deviceCredential: string }
  | { kind: 'pending'; remaining: { email: boolean; sms: boolean } }
  | { kind: 'wrong'; field: 'emailCode' | 'smsCode'; remaining: number }
  | { kind: 'expired'; field: 'emailCode' | 'smsCode' }
  | { kind: 'flow_not_found' }
  | { kind: 'too_many_attempts' }
  | { kind: 'account_exists' }
  /** Refused by the risk engine (sign-up farming); no account was made. */
  | { kind: 'risk_declined' };

export async function verifySignup(
  d: IdentityDeps, flowId: string, input: { emailCode?: string | undefined; smsCode?: string | undefined; deviceLabel: string; transport: 'cookie' | 'bearer' }, client: ClientInfo,
): Promise<VerifySignupResult> {
  const now = d.clock.now();
  return withTransaction(d.pool, async (q): Promise<VerifySignupResult> => {
    const flow = await lockFlow(q, flowId, 'signup');
    if (!isLive(flow, now)) return { kind: 'flow_not_found' };
    const done = { email: !!flow.data.emailVerified, sms: !!flow.data.smsVerified };

    for (const [field, purpose] of [['emailCode', 'email'], ['smsCode', 'sms']] as const) {
      const code = input[field];
      if (code === undefined || done[purpose]) continue;
      const r = await d.codes.verify(q, flowId, purpose, code, now);
      if (r.kind === 'verified') done[purpose] = true;
      else if (r.kind === 'locked') {
        await failFlow(q, flowId, now);
        return { kind: 'too_many_attempts' };
      } else if (r.kind === 'wrong') {
        await saveProgress(q, flow, done);
        return { kind: 'wrong', field, remaining: r.remaining };
      } else if (r.kind === 'expired') {
        await saveProgress(q, flow, done);
        return { kind: 'expired', field };
      } else return { kind: 'wrong', field, remaining: 0 }; // not_sent: the address or number is taken
    }
    await saveProgress(q, flow, done);
    if (!done.email || !done.sms) return { kind: 'pending', remaining: { email: !done.email, sms: !done.sms } };

    // RISK-1: throw-away accounts from one install or address (coupon farming) are not made.
    const risk = await d.risk.assessSignup({ ip: client.ip, installId: client.installId ?? null, now });
    if (risk.outcome !== 'allow' && risk.outcome !== 'step_up') {
      await failFlow(q, flowId, now);
      return { kind: 'risk_declined' };
    }
    const data = flow.data as unknown as SignupData;
    const userId = newUuid();
    if (!(await insertUser(q, { id: userId, email: data.email, phone: data.phone, passwordHash: data.passwordHash, locale: data.locale, now }))) {
      // Both were proven by codes, so saying so tells nothing to a stranger.
      await failFlow(q, flowId, now);
      return { kind: 'account_exists' };
    }
    await completeFlow(q, flowId, now);
    const deviceId = newUuid();
    await insertDevice(q, { id: deviceId, userId, label: input.deviceLabel, now });
    const session = await d.sessions.issue(q, userId, deviceId, input.transport, client, now, { signup: true });
    const deviceCredential = await d.devices.issue({ userId, deviceId }, now);
    await d.events.record(q, { id: userId, email: data.email, locale: data.locale }, 'account_created', { ip: client.ip, deviceId, now });
    return { kind: 'created', userId, session, deviceId, deviceCredential };
  });
}

async function saveProgress(q: Queryable, flow: FlowRow, done: { email: boolean; sms: boolean }) {
  await updateFlowData(q, flow.id, { ...flow.data, emailVerified: done.email, smsVerified: done.sms });
}
