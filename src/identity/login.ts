/**
 * Login (ID-4, ID-5, ID-6). A password alone opens a session only on a device that
 * completed a second factor before (it holds a valid device credential). Anywhere else
 * the password opens a login flow that needs SMS, TOTP, a recovery code or a passkey
 * (passkey-step.ts); passing it
 * remembers the new device, puts the account in restricted mode for a day (ID-10) and
 * tells the customer (ID-13).
 *
 * Unknown identifiers cost the same password verification as known ones, so neither
 * the answer nor the time tells whether an account exists.
 */
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/pool.js';
import { withTransaction } from '../db/tx.js';
import { newUuid } from '../shared/ids.js';
import { normaliseIdentifier } from './contact.js';
import { attemptAccount, type IdentityDeps, type LoginAttempt, type PasskeyAssertion, type SecondFactorMethod } from './deps.js';
import { codeSms } from './messages.js';
import { checkPasskey, offerPasskey, type PasskeyStepOptions } from './passkey-step.js';
import { isBlocklisted } from './password.js';
import { completeFlow, failFlow, insertFlow, isLive, lockFlow, updateFlowData, type FlowRow } from './repo/flows.js';
import { findActiveDevice, insertDevice, markSecondFactor, touchDevice } from './repo/sessions.js';
import { findUser, findUserByEmail, findUserByPhone, setMustResetPassword, setRestrictedUntil, type UserRow } from './repo/users.js';
import type { CodeSendResult } from './otp.js';
import type { ClientInfo, IssuedSession } from './sessions.js';

export const LOGIN_FLOW_MS = 10 * 60_000;
const MAX_FACTOR_FAILURES = 5;

/**
 * A hash with the live parameters, verified in place of an unknown account's, so both
 * cost one verification. Made once at start-up (not lazily: the first unknown
 * identifier would otherwise cost an extra hash, and stand out).
 */
export function makeDummyHash(hasher: IdentityDeps['hasher']): Promise<string> {
  return hasher.hash(randomBytes(18).toString('base64url'));
}

export interface LoginInput {
  identifier: string;
  password: string;
  deviceCredential: string | undefined;
  proofOfWork?: string | undefined;
  transport: 'cookie' | 'bearer';
}

export type LoginResult =
  | { kind: 'authenticated'; userId: string; session: IssuedSession; mustResetPassword: boolean }
  | { kind: 'second_factor_required'; flowId: string; methods: SecondFactorMethod[]; expiresAt: Date }
  | { kind: 'invalid_credentials' }
  | { kind: 'wait'; retryAfterMs: number }
  | { kind: 'proof_of_work_required' }
  | { kind: 'account_frozen' }
  /** The risk engine refused the sign-in (after a right password: no enumeration). */
  | { kind: 'risk_declined' };

export async function login(d: IdentityDeps, input: LoginInput, client: ClientInfo): Promise<LoginResult> {
  const now = d.clock.now();
  const id = normaliseIdentifier(input.identifier);
  const user = id ? (id.kind === 'email' ? await findUserByEmail(d.pool, id.value) : await findUserByPhone(d.pool, id.value)) : undefined;
  const device = user ? await d.devices.verify(input.deviceCredential, now) : undefined;
  const knownDevice = !!(user && device && device.userId === user.id && (await findActiveDevice(d.pool, user.id, device.deviceId)));
  const attempt: LoginAttempt = {
    ip: client.ip ?? 'unknown',
    // One account, one counter, whether it is named by e-mail or phone (else each spelling
    // would bring its own budget); an identifier with no account is counted as typed.
    account: user ? attemptAccount(user.id) : `id:${id?.value ?? input.identifier.trim().toLowerCase().slice(0, 320)}`,
    knownDevice,
    proofOfWork: input.proofOfWork,
  };

  const decision = await d.guard.check(attempt, now);
  if (decision.kind === 'wait') return decision;
  if (decision.kind === 'proof_of_work_required') return decision;

  const ok = await d.hasher.verify(user?.password_hash ?? d.dummyHash, input.password);
  if (!user || !ok) {
    await d.guard.failed(attempt, now);
    return { kind: 'invalid_credentials' };
  }
  await d.guard.succeeded(attempt, now);
  if (user.frozen_at) return { kind: 'account_frozen' };

  return withTransaction(d.pool, async (q): Promise<LoginResult> => {
    // ID-5: a password that has since appeared in breach lists must be replaced.
    const breached = !user.must_reset_password && isBlocklisted(input.password);
    if (breached) {
      await setMustResetPassword(q, user.id);
      await d.events.record(q, user, 'breached_password_detected', { ip: client.ip, deviceId: null, now });
    }
    // RISK-1: after the right password, so the answer tells nothing about the account.
    // A step-up sends even a known phone through the second factor (the flow below,
    // keeping that device: no new device row, no restricted mode). The wrong passwords
    // before this one are the guard's count (login-guard.ts says which counter, and why).
    const risk = await d.risk.assessAccount(q, {
      action: 'login', userId: user.id, deviceId: knownDevice ? device!.deviceId : null, ip: client.ip, installId: client.installId ?? null, amount: 0,
      fingerprint: null, secondFactorAt: null, subjectId: null, loginFailures: decision.priorFailures, now,
    });
    if (risk.outcome === 'deny' || risk.outcome === 'hold') return { kind: 'risk_declined' };
    if (knownDevice && risk.outcome === 'allow') {
      await touchDevice(q, device!.deviceId, now);
      const session = await d.sessions.issue(q, user.id, device!.deviceId, input.transport, client, now);
      return { kind: 'authenticated', userId: user.id, session, mustResetPassword: user.must_reset_password || breached };
    }
    return openSecondFactorStep(d, q, user, now, knownDevice ? device!.deviceId : undefined);
  });
}

/**
 * The login flow a first factor opens on a device not seen before: finished by SMS,
 * TOTP, a recovery code or a passkey (completeLogin). External ID sign-in
 * (oidc/callback.ts) ends here too, so it is never more than a first factor.
 */
export async function openSecondFactorStep(
  d: IdentityDeps, q: Queryable, user: Pick<UserRow, 'id' | 'phone'>, now: Date,
  /** A known phone sent here by a risk step-up: finishing keeps it (finishStepUp). */
  knownDeviceId?: string,
): Promise<{ kind: 'second_factor_required'; flowId: string; methods: SecondFactorMethod[]; expiresAt: Date }> {
  const flowId = newUuid();
  const expiresAt = new Date(now.getTime() + LOGIN_FLOW_MS);
  const data = knownDeviceId ? { failures: 0, knownDeviceId } : { failures: 0 };
  await insertFlow(q, { id: flowId, kind: 'login', userId: user.id, data, now, expiresAt });
  await d.codes.create(q, { flowId, purpose: 'sms', channel: 'sms', destination: user.phone, now });
  const methods: SecondFactorMethod[] = ['sms', ...(await d.factors.methods(q, user.id))];
  return { kind: 'second_factor_required', flowId, methods, expiresAt };
}

/** A live login flow; login flows always name their account. */
function liveFlow(flow: FlowRow | undefined, now: Date): flow is FlowRow & { user_id: string } {
  return isLive(flow, now) && !!flow.user_id;
}

export type SendLoginSmsResult = CodeSendResult;

export async function sendLoginSms(d: IdentityDeps, flowId: string, client: ClientInfo): Promise<SendLoginSmsResult> {
  const now = d.clock.now();
  return withTransaction(d.pool, async (q) => {
    const flow = await lockFlow(q, flowId, 'login');
    if (!liveFlow(flow, now)) return { kind: 'flow_not_found' };
    const user = (await findUser(q, flow.user_id))!;
    // ID-3 hourly budgets of the phone and the client, taken only when the code is due.
    const sent = await d.codes.send(q, flowId, 'sms', now, (to) => d.sends.take(to, client.ip, now));
    if (sent.kind !== 'sent') return sent;
    await d.notifier.notify(q, { channel: 'sms', to: user.phone, text: codeSms(user.locale, sent.code) });
    return { kind: 'sent' };
  });
}

export type LoginPasskeyOptionsResult = ({ kind: 'options' } & PasskeyStepOptions) | { kind: 'factor_unavailable' } | { kind: 'flow_not_found' };

/** Options for finishing the login with one of the account's passkeys; a new call replaces the previous challenge. */
export async function loginPasskeyOptions(d: IdentityDeps, flowId: string): Promise<LoginPasskeyOptionsResult> {
  const now = d.clock.now();
  return withTransaction(d.pool, async (q): Promise<LoginPasskeyOptionsResult> => {
    const flow = await lockFlow(q, flowId, 'login');
    if (!liveFlow(flow, now)) return { kind: 'flow_not_found' };
    const offered = await offerPasskey(d, q, flow, flow.user_id, now);
    return offered ? { kind: 'options', ...offered } : { kind: 'factor_unavailable' };
  });
}

export type LoginFactor =
  | { method: 'sms' | 'totp' | 'recovery_code'; code: string }
  | { method: 'passkey'; response: PasskeyAssertion };

export type CompleteLoginResult =
  | { kind: 'authenticated'; userId: string; session: IssuedSession; deviceId: string; deviceCredential: string; mustResetPassword: boolean; restrictedUntil: Date | null }
  | { kind: 'wrong'; remaining: number }
  | { kind: 'passkey_invalid'; remaining: number }
  | { kind: 'passkey_cloned'; remaining: number }
  | { kind: 'expired' }
  | { kind: 'code_not_sent' }
  | { kind: 'factor_unavailable' }
  | { kind: 'too_many_attempts' }
  | { kind: 'flow_not_found' };

export async function completeLogin(
  d: IdentityDeps, flowId: string,
  input: LoginFactor & { deviceLabel: string; transport: 'cookie' | 'bearer' },
  client: ClientInfo,
): Promise<CompleteLoginResult> {
  const now = d.clock.now();
  return withTransaction(d.pool, async (q): Promise<CompleteLoginResult> => {
    const flow = await lockFlow(q, flowId, 'login');
    if (!liveFlow(flow, now)) return { kind: 'flow_not_found' };
    const user = (await findUser(q, flow.user_id))!;

    if (input.method === 'sms') {
      const r = await d.codes.verify(q, flowId, 'sms', input.code, now);
      if (r.kind === 'locked') {
        await failFlow(q, flowId, now);
        return { kind: 'too_many_attempts' };
      }
      if (r.kind === 'not_sent') return { kind: 'code_not_sent' };
      if (r.kind !== 'verified') return r;
    } else if (input.method === 'passkey') {
      const r = await checkPasskey(d, q, flow, user.id, input.response, now);
      if (r.verdict !== 'ok') {
        const left = await countFailure(q, r.flow, now);
        if (left === undefined) return { kind: 'too_many_attempts' };
        return { kind: r.verdict === 'cloned' ? 'passkey_cloned' : 'passkey_invalid', remaining: left };
      }
    } else {
      const r = await d.factors.verify(q, user.id, input.method, input.code, now);
      if (r === 'unavailable') return { kind: 'factor_unavailable' };
      if (r === 'wrong') {
        const left = await countFailure(q, flow, now);
        return left === undefined ? { kind: 'too_many_attempts' } : { kind: 'wrong', remaining: left };
      }
    }
    const known = typeof flow.data.knownDeviceId === 'string' ? flow.data.knownDeviceId : undefined;
    if (known && (await findActiveDevice(q, user.id, known))) return finishStepUp(d, q, flowId, user, known, input, client, now);
    return finishLogin(d, q, flowId, user, input, client, now);
  });
}

/**
 * TOTP, recovery codes and passkeys share the flow's budget of wrong entries (they have
 * no counter of their own). Answers the tries left, or undefined once the flow has ended.
 */
async function countFailure(q: Queryable, flow: FlowRow, now: Date): Promise<number | undefined> {
  const failures = Number(flow.data.failures ?? 0) + 1;
  if (failures >= MAX_FACTOR_FAILURES) {
    await failFlow(q, flow.id, now);
    return undefined;
  }
  await updateFlowData(q, flow.id, { ...flow.data, failures });
  return MAX_FACTOR_FAILURES - failures;
}

async function finishLogin(
  d: IdentityDeps, q: Queryable, flowId: string, user: UserRow,
  input: { method: string; deviceLabel: string; transport: 'cookie' | 'bearer' }, client: ClientInfo, now: Date,
): Promise<CompleteLoginResult> {
  await completeFlow(q, flowId, now);
  const deviceId = newUuid();
  await insertDevice(q, { id: deviceId, userId: user.id, label: input.deviceLabel, now });
  const restrictedUntil = new Date(now.getTime() + d.restrictedModeMs);
  await setRestrictedUntil(q, user.id, restrictedUntil);
  const session = await d.sessions.issue(q, user.id, deviceId, input.transport, client, now);
  await markSecondFactor(q, session.sessionId, now);
  const deviceCredential = await d.devices.issue({ userId: user.id, deviceId }, now);
  await d.events.record(q, user, 'new_device_login', { ip: client.ip, deviceId, now }, {
    details: { method: input.method, device: input.deviceLabel },
    detail: user.locale === 'ja'
      ? `端末: ${input.deviceLabel} / IP: ${client.ip ?? '-'} / 日時: ${now.toISOString()}\n24時間はカードチャージと5,000円を超える支払いが制限されます。`
      : `Device: ${input.deviceLabel} · IP: ${client.ip ?? '-'} · ${now.toISOString()}\nFor 24 hours, card top-ups and payments over ¥5,000 are paused.`,
  });
  return { kind: 'authenticated', userId: user.id, session, deviceId, deviceCredential, mustResetPassword: user.must_reset_password, restrictedUntil };
}

/**
 * A known phone the risk engine asked for a second factor (RISK-1 step-up): it stays the
 * same device — no new row, no restricted mode, no "new device" notice — and the session
 * counts as second-factor verified.
 */
async function finishStepUp(
  d: IdentityDeps, q: Queryable, flowId: string, user: UserRow, deviceId: string,
  input: { transport: 'cookie' | 'bearer' }, client: ClientInfo, now: Date,
): Promise<CompleteLoginResult> {
  await completeFlow(q, flowId, now);
  await touchDevice(q, deviceId, now);
  const session = await d.sessions.issue(q, user.id, deviceId, input.transport, client, now);
  await markSecondFactor(q, session.sessionId, now);
  const deviceCredential = await d.devices.issue({ userId: user.id, deviceId }, now);
  const restrictedUntil = user.restricted_until && user.restricted_until > now ? user.restricted_until : null;
  return { kind: 'authenticated', userId: user.id, session, deviceId, deviceCredential, mustResetPassword: user.must_reset_password, restrictedUntil };
}
