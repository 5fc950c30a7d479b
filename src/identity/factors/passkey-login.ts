/**
 * Signing in with a passkey (ID-4, ID-11): the whole authentication, no password. The
 * private key never leaves the authenticator, the browser binds the signature to our
 * origin and RP ID, and user verification (PIN or biometric) is required, so a passkey
 * counts as both factors and cannot be phished the way 7pay's passwords and SMS were.
 *
 * The risk engine judges it like any login (RISK-1), after the assertion verified (so
 * its answer tells nothing to someone without the passkey). Its step-up asks for a
 * second factor, and a user-verified passkey is one — the strongest we accept, the one
 * re-authentication takes too — so the engine is told this sign-in passed one just now
 * and settles the step-up itself (logged as `steppedUp`); sending the customer on to an
 * SMS code would trade a factor that cannot be phished for one that can. For the same
 * reason the session counts as second-factor verified, as after a password and a code
 * (login.ts) or a re-authentication with a passkey. A deny or hold refuses the sign-in.
 */
import {
  generateAuthenticationOptions, type AuthenticationResponseJSON, type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import type { PoolClient } from '../../db/pool.js';
import { withTransaction } from '../../db/tx.js';
import { hmac } from '../../shared/crypto.js';
import { newUuid } from '../../shared/ids.js';
import { normaliseIdentifier } from '../contact.js';
import { findActiveDevice, insertDevice, markSecondFactor, touchDevice } from '../repo/sessions.js';
import { findUser, findUserByEmail, findUserByPhone, type UserRow } from '../repo/users.js';
import type { ClientInfo, IssuedSession } from '../sessions.js';
import { acceptAssertion } from './assertion.js';
import { CHALLENGE_TTL_MS, openChallenge, takeChallenge } from './challenges.js';
import type { FactorDeps } from './deps.js';
import type { PasskeyOptions } from './passkeys.js';
import { findPasskey, listPasskeys, lockPasskey } from './repo.js';

/**
 * Options for navigator.credentials.get(). Without an identifier: usernameless, the
 * authenticator offers its discoverable credentials. With one: that account's passkeys;
 * an unknown account or one without passkeys gets one stable decoy id instead, so the
 * answer does not say whether the account exists (ID-6).
 */
export async function passkeyLoginOptions(d: FactorDeps, identifier: string | undefined): Promise<PasskeyOptions<PublicKeyCredentialRequestOptionsJSON>> {
  const now = d.clock.now();
  const id = identifier === undefined ? undefined : normaliseIdentifier(identifier);
  const user = id ? (id.kind === 'email' ? await findUserByEmail(d.pool, id.value) : await findUserByPhone(d.pool, id.value)) : undefined;
  return withTransaction(d.pool, async (q) => {
    const passkeys = user ? await listPasskeys(q, user.id) : [];
    const allow = identifier === undefined ? []
      : passkeys.length > 0 ? passkeys.map((p) => ({ id: p.id, transports: p.transports }))
      : [{ id: hmac(d.keys.signingKey, 'decoy-passkey', id?.value ?? identifier.trim().toLowerCase()).subarray(0, 16).toString('base64url') }];
    const flowId = newUuid();
    // No account (usernameless, or an unknown identifier): whichever passkey answers names
    // its own account, proven by its signature.
    const { challenge, expiresAt } = await openChallenge(q, { flowId, kind: 'passkey_login', userId: user?.id ?? null, now });
    const options = await generateAuthenticationOptions({
      rpID: d.rp.id, allowCredentials: allow, userVerification: 'required', timeout: CHALLENGE_TTL_MS,
      challenge: new Uint8Array(Buffer.from(challenge, 'base64url')),
    });
    return { flowId, options, expiresAt };
  });
}

export type PasskeyLoginResult =
  | { kind: 'authenticated'; userId: string; session: IssuedSession; deviceId: string; deviceCredential: string | undefined; mustResetPassword: boolean; restrictedUntil: null }
  | { kind: 'flow_not_found' }
  | { kind: 'invalid' }
  | { kind: 'cloned' }
  | { kind: 'account_frozen' }
  /** The risk engine refused the sign-in (after a valid assertion: no enumeration). */
  | { kind: 'risk_declined' };

export interface PasskeyLoginInput {
  response: AuthenticationResponseJSON;
  deviceLabel: string;
  transport: 'cookie' | 'bearer';
  deviceCredential: string | undefined;
}

export async function completePasskeyLogin(d: FactorDeps, flowId: string, input: PasskeyLoginInput, client: ClientInfo): Promise<PasskeyLoginResult> {
  const now = d.clock.now();
  const device = await d.devices.verify(input.deviceCredential, now);
  return withTransaction(d.pool, async (q): Promise<PasskeyLoginResult> => {
    // Burnt before anything is checked: one attempt per challenge, whatever its outcome.
    const flow = await takeChallenge(q, flowId, 'passkey_login', now);
    if (!flow) return { kind: 'flow_not_found' };
    const found = await findPasskey(q, input.response.id);
    // An account named in the options accepts only its own passkeys.
    if (!found || (flow.user_id && found.user_id !== flow.user_id)) return { kind: 'invalid' };
    // Lock order as in every factor change: user row, then factor rows.
    const user = (await findUser(q, found.user_id, { lock: true }))!;
    const passkey = await lockPasskey(q, found.id);
    if (!passkey) return { kind: 'invalid' };
    const verdict = await acceptAssertion(d, q, passkey, input.response, flow.challenge, now);
    if (verdict !== 'ok') return { kind: verdict };
    if (user.frozen_at) return { kind: 'account_frozen' };
    const knownId = device && device.userId === user.id && (await findActiveDevice(q, user.id, device.deviceId)) ? device.deviceId : null;
    const risk = await d.risk.assessAccount(q, {
      action: 'login', userId: user.id, deviceId: knownId, ip: client.ip, installId: client.installId ?? null, amount: 0,
      fingerprint: null, secondFactorAt: now, subjectId: null, loginFailures: 0, now,
    });
    // A step-up was settled by the passkey itself (steppedUp: the outcome is allow).
    if (risk.outcome !== 'allow') return { kind: 'risk_declined' };
    return issueSession(d, q, user, knownId, input, client, now);
  });
}

async function issueSession(
  d: FactorDeps, q: PoolClient, user: UserRow, knownId: string | null,
  input: PasskeyLoginInput, client: ClientInfo, now: Date,
): Promise<PasskeyLoginResult> {
  const base = { kind: 'authenticated' as const, userId: user.id, mustResetPassword: user.must_reset_password, restrictedUntil: null };
  if (knownId) {
    await touchDevice(q, knownId, now);
    const session = await d.sessions.issue(q, user.id, knownId, input.transport, client, now);
    await markSecondFactor(q, session.sessionId, now);
    return { ...base, session, deviceId: knownId, deviceCredential: undefined };
  }
  const deviceId = newUuid();
  await insertDevice(q, { id: deviceId, userId: user.id, label: input.deviceLabel, now });
  const session = await d.sessions.issue(q, user.id, deviceId, input.transport, client, now);
  await markSecondFactor(q, session.sessionId, now);
  const deviceCredential = await d.devices.issue({ userId: user.id, deviceId }, now);
  // Still a new-device sign-in, told to the customer (ID-13). But unlike a password plus
  // SMS or TOTP, a passkey cannot be phished or relayed from another origin, which is how
  // 7pay's accounts were taken; so no cooling-off (ID-10 restricted mode) here.
  await d.events.record(q, user, 'new_device_login', { ip: client.ip, deviceId, now }, {
    details: { method: 'passkey', device: input.deviceLabel },
    detail: user.locale === 'ja'
      ? `端末: ${input.deviceLabel} / 方法: パスキー / IP: ${client.ip ?? '-'} / 日時: ${now.toISOString()}`
      : `Device: ${input.deviceLabel} · Method: passkey · IP: ${client.ip ?? '-'} · ${now.toISOString()}`,
  });
  return { ...base, session, deviceId, deviceCredential };
}
