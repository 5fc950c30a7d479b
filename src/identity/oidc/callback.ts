/**
 * The provider's redirect back (ID-12). The flow is taken and burnt first (flows.ts),
 * the code exchanged and the ID token verified (client.ts), and only then does the
 * verified (issuer, subject) pair act:
 *
 * - Sign-in: the pair must already be linked to an account. It is never matched to an
 *   account by e-mail address, not even one the provider marks `email_verified`: that
 *   flag is the provider's claim about its own records (some let anyone set any address,
 *   some re-verify never, an address can be recycled), so trusting it would let whoever
 *   controls an identity at any configured provider take over the Konpay account holding
 *   that address — the 7pay hole with an extra step. An unlinked identity gets one answer,
 *   `not_linked`, whatever the e-mail: sign in with the password and link it under
 *   Security, or sign up (which proves e-mail and phone by codes, ID-1; there is no
 *   second, provider-made sign-up path to defend). The same answer for every unlinked
 *   identity also tells a stranger nothing about which addresses have accounts (ID-6).
 * - A linked identity is one factor, like a correct password: on a remembered device
 *   (valid device credential) it opens a session; anywhere else it opens the same login
 *   flow as a password would (login.ts, openSecondFactorStep), finished by SMS, TOTP, a
 *   recovery code or a passkey, which remembers the device, restricts the account for a
 *   day and notifies the customer (new_device_login).
 * - The risk engine judges the sign-in as it judges a password's (RISK-1), after the
 *   token verified and the link was found: deny or hold refuses it (`risk_declined`); a
 *   step-up sends even a remembered device through that second factor, keeping the
 *   device as a password's step-up does (login.ts); a new device needs it anyway. No
 *   password was typed, so `loginFailures` is 0: strangers' wrong passwords on the
 *   account say nothing about who holds the provider's session.
 * - Link: the account and session that asked (after a re-authentication) get the pair,
 *   if that session is still signed in and the pair is nobody else's; notified.
 */
import { withTransaction } from '../../db/tx.js';
import { newUuid } from '../../shared/ids.js';
import type { SecondFactorMethod } from '../deps.js';
import { openSecondFactorStep } from '../login.js';
import { findActiveDevice, touchDevice } from '../repo/sessions.js';
import { findUser } from '../repo/users.js';
import type { ClientInfo, IssuedSession } from '../sessions.js';
import type { VerifiedIdentity } from './client.js';
import { takeFlow, type OidcDeps, type OidcFlow, type Purpose } from './flows.js';
import { findByIssuerSubject, insertLink, isSessionLive, touchLink } from './repo.js';

export type CallbackOutcome =
  | { kind: 'authenticated'; userId: string; session: IssuedSession; mustResetPassword: boolean }
  | { kind: 'second_factor_required'; flowId: string; methods: SecondFactorMethod[]; expiresAt: Date }
  | { kind: 'not_linked' }
  | { kind: 'linked' }
  | { kind: 'account_frozen' }
  /** The risk engine refused the sign-in (only for a linked identity: no enumeration). */
  | { kind: 'risk_declined' }
  /** No live flow of this browser for this provider: replayed, expired, or another browser's. */
  | { kind: 'flow_invalid' }
  | { kind: 'provider_error' }
  /** The code or the ID token failed verification. */
  | { kind: 'token_invalid' }
  | { kind: 'unavailable' }
  | { kind: 'identity_taken' }
  | { kind: 'provider_already_linked' }
  | { kind: 'session_ended' };

export interface CallbackInput {
  provider: string;
  /** The browser-binding cookie set at the start. */
  binding: string | undefined;
  /** The URL the browser came back on (public base + path and query). */
  url: URL;
  deviceCredential: string | undefined;
}

export async function oidcCallback(d: OidcDeps, input: CallbackInput, client: ClientInfo): Promise<{ purpose: Purpose; outcome: CallbackOutcome }> {
  const flow = await takeFlow(d, input.provider, input.binding);
  if (!flow) return { purpose: 'login', outcome: { kind: 'flow_invalid' } };
  const r = await d.oidc.exchange(input.provider, input.url, flow);
  const purpose = flow.purpose;
  if (r.kind === 'invalid') return { purpose, outcome: { kind: 'token_invalid' } };
  if (r.kind !== 'verified') return { purpose, outcome: r };
  const outcome = purpose === 'link' ? await link(d, flow, r.identity, client) : await signIn(d, r.identity, input.deviceCredential, client);
  return { purpose, outcome };
}

async function signIn(d: OidcDeps, id: VerifiedIdentity, deviceCredential: string | undefined, client: ClientInfo): Promise<CallbackOutcome> {
  const now = d.clock.now();
  const device = await d.devices.verify(deviceCredential, now);
  return withTransaction(d.pool, async (q): Promise<CallbackOutcome> => {
    // By (issuer, subject) only; see the header for why never by e-mail.
    const ext = await findByIssuerSubject(q, id.issuer, id.subject);
    if (!ext) return { kind: 'not_linked' };
    const user = (await findUser(q, ext.user_id))!;
    if (user.frozen_at) return { kind: 'account_frozen' };
    await touchLink(q, ext.id, now);
    const known = device && device.userId === user.id && (await findActiveDevice(q, user.id, device.deviceId));
    const risk = await d.risk.assessAccount(q, {
      action: 'login', userId: user.id, deviceId: known ? device.deviceId : null, ip: client.ip, installId: client.installId ?? null, amount: 0,
      fingerprint: null, secondFactorAt: null, subjectId: null, loginFailures: 0, now,
    });
    if (risk.outcome === 'deny' || risk.outcome === 'hold') return { kind: 'risk_declined' };
    if (!known) return openSecondFactorStep(d, q, user, now);
    if (risk.outcome === 'step_up') return openSecondFactorStep(d, q, user, now, device.deviceId);
    await touchDevice(q, device.deviceId, now);
    const session = await d.sessions.issue(q, user.id, device.deviceId, 'cookie', client, now);
    return { kind: 'authenticated', userId: user.id, session, mustResetPassword: user.must_reset_password };
  });
}

async function link(d: OidcDeps, flow: OidcFlow, id: VerifiedIdentity, client: ClientInfo): Promise<CallbackOutcome> {
  const now = d.clock.now();
  return withTransaction(d.pool, async (q): Promise<CallbackOutcome> => {
    if (!flow.userId || !flow.sessionId || !(await isSessionLive(q, flow.sessionId, flow.userId, now))) return { kind: 'session_ended' };
    const user = (await findUser(q, flow.userId, { lock: true }))!;
    if (user.frozen_at) return { kind: 'account_frozen' };
    const ext = await findByIssuerSubject(q, id.issuer, id.subject);
    if (ext) return ext.user_id === user.id ? { kind: 'linked' } : { kind: 'identity_taken' };
    const made = await insertLink(q, { id: newUuid(), userId: user.id, provider: flow.provider, issuer: id.issuer, subject: id.subject, email: id.email, now });
    if (made === 'conflict') return { kind: 'provider_already_linked' };
    const label = d.oidc.provider(flow.provider)?.label ?? flow.provider;
    await d.events.record(q, user, 'external_identity_linked', { ip: client.ip, deviceId: null, now }, {
      details: { provider: flow.provider },
      detail: user.locale === 'ja'
        ? `${label} / ${id.email ?? '-'} / IP: ${client.ip ?? '-'} / 日時: ${now.toISOString()}`
        : `${label} · ${id.email ?? '-'} · IP: ${client.ip ?? '-'} · ${now.toISOString()}`,
    });
    return { kind: 'linked' };
  });
}
