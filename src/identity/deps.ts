/** What the identity use cases need, built once by the composition root. */
import type pg from 'pg';
import type { RiskEngine } from '../risk/engine.js';
import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { Notifier } from '../notify/notifier.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { SecurityEvents } from './events.js';
import type { OneTimeCodes } from './otp.js';
import type { PasswordHasher } from './password.js';
import type { Sessions } from './sessions.js';
import type { DeviceCredentials } from './tokens.js';
import type { Queryable } from '../db/pool.js';

export type SecondFactorMethod = 'sms' | 'totp' | 'recovery_code' | 'passkey';

/** A passkey's signed answer to a challenge, as navigator.credentials.get() returns it. */
export type PasskeyAssertion = AuthenticationResponseJSON;

/** TOTP, recovery codes and passkeys, checked inside the login or recovery transaction. */
export interface SecondFactors {
  /** The methods besides SMS this account has set up. */
  methods(q: Queryable, userId: string): Promise<SecondFactorMethod[]>;
  verify(q: Queryable, userId: string, method: 'totp' | 'recovery_code', code: string, now: Date): Promise<'ok' | 'wrong' | 'unavailable'>;
  /**
   * A fresh challenge and the options naming only this account's passkeys; undefined when
   * it has none. The caller keeps the challenge on its own flow, which binds it there.
   */
  passkeyOptions(q: Queryable, userId: string): Promise<{ challenge: string; options: PublicKeyCredentialRequestOptionsJSON } | undefined>;
  /** Checks an assertion by one of this account's passkeys for `challenge`, and records the use. */
  verifyPasskey(q: Queryable, userId: string, response: PasskeyAssertion, challenge: string, now: Date): Promise<'ok' | 'wrong' | 'cloned'>;
}

export interface LoginAttempt {
  ip: string;
  /** The account (`usr:<id>`) when the identifier names one, else the normalised identifier typed. */
  account: string;
  /** The request carried a valid device credential for this account. */
  knownDevice: boolean;
  /** A proof-of-work solution, when the client was asked for one. */
  proofOfWork: string | undefined;
}

/** `LoginAttempt.account` of an existing account: one set of counters, whether named by e-mail or phone. */
export function attemptAccount(userId: string): string {
  return `usr:${userId}`;
}

export type GuardDecision =
  /**
   * `priorFailures`: failed password attempts the account's counter held before this one
   * (since its last success), for the risk engine's `login_failures` rule (RISK-1).
   */
  | { kind: 'allow'; priorFailures: number }
  | { kind: 'wait'; retryAfterMs: number }
  | { kind: 'proof_of_work_required' };

/** Credential-stuffing defence (ID-5): consulted before a password check, told every outcome. */
export interface LoginGuard {
  check(a: LoginAttempt, now: Date): Promise<GuardDecision>;
  failed(a: LoginAttempt, now: Date): Promise<void>;
  succeeded(a: LoginAttempt, now: Date): Promise<void>;
}

export const allowAllGuard: LoginGuard = {
  check: async () => ({ kind: 'allow', priorFailures: 0 }),
  failed: async () => {},
  succeeded: async () => {},
};

export type SendDecision = { kind: 'allow' } | { kind: 'wait'; retryAfterMs: number };

/** Code-send budgets (ID-3): codes per destination and per client address per hour, against bombing and SMS pumping. */
export interface SendGuard {
  /** Takes one send from the budgets of `ip` and of the destination, or says how long to wait. */
  take(to: { channel: 'email' | 'sms'; destination: string }, ip: string | null, now: Date): Promise<SendDecision>;
}

export const allowAllSends: SendGuard = { take: async () => ({ kind: 'allow' }) };

export const noSecondFactors: SecondFactors = {
  methods: async () => [],
  verify: async () => 'unavailable',
  passkeyOptions: async () => undefined,
  verifyPasskey: async () => 'wrong',
};

export interface IdentityDeps {
  pool: pg.Pool;
  clock: Clock;
  logger: Logger;
  hasher: PasswordHasher;
  /** Verified for unknown identifiers (see login.ts). */
  dummyHash: string;
  codes: OneTimeCodes;
  sessions: Sessions;
  devices: DeviceCredentials;
  events: SecurityEvents;
  notifier: Notifier;
  factors: SecondFactors;
  guard: LoginGuard;
  sends: SendGuard;
  /** Cooling-off after recovery, a new device or a contact change (ID-10). */
  restrictedModeMs: number;
  /** RISK-1 at login (step-up even on a known device) and sign-up (farming). */
  risk: RiskEngine;
}
