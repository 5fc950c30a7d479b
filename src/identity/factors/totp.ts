/**
 * TOTP authenticator apps (ID-11): RFC 6238 with the parameters every app understands
 * (SHA-1, 6 digits, 30 s). The secret is sealed at rest, bound to its account.
 *
 * otplib does not stop replays on its own: we keep the last accepted time step and
 * refuse any code of that step or earlier, so a code shoulder-surfed or phished after
 * use is worthless, even within its own 30 seconds. The check and the write happen under
 * a row lock in one conditional UPDATE, so two concurrent logins cannot share one code.
 */
import { generateSecret, generateURI, verify } from 'otplib';
import type { Queryable } from '../../db/pool.js';
import { withTransaction } from '../../db/tx.js';
import { seal, unseal } from '../../shared/crypto.js';
import { findUser } from '../repo/users.js';
import type { Actor, FactorDeps, FactorKeys } from './deps.js';
import { recordFactorChange } from './notice.js';
import { acceptTotpStep, confirmTotp as confirmTotpRow, deleteTotp, lockTotp, upsertPendingTotp, type TotpRow } from './repo.js';

export const TOTP_ISSUER = 'Konpay';
export const TOTP_PERIOD_S = 30;
const TOTP_DIGITS = 6;

export type EnrolTotpResult = { kind: 'enrolled'; secret: string; uri: string } | { kind: 'already_enabled' };

/** A fresh secret, stored sealed and unconfirmed until a code from the app proves it was scanned. */
export async function enrolTotp(d: FactorDeps, actor: Actor): Promise<EnrolTotpResult> {
  const secret = generateSecret({ length: 20 }); // 160 bits, the size RFC 4226 recommends for SHA-1
  const uri = generateURI({ issuer: TOTP_ISSUER, label: actor.user.email, secret, algorithm: 'sha1', digits: TOTP_DIGITS, period: TOTP_PERIOD_S });
  const sealed = seal(d.keys.encryptionKey, secret, actor.user.id);
  return withTransaction(d.pool, async (q): Promise<EnrolTotpResult> => {
    // Factor changes of one account are serialised on its user row (lock order: user, then factor rows).
    await findUser(q, actor.user.id, { lock: true });
    return (await upsertPendingTotp(q, actor.user.id, sealed)) ? { kind: 'enrolled', secret, uri } : { kind: 'already_enabled' };
  });
}

export type ConfirmTotpResult = { kind: 'confirmed' } | { kind: 'wrong' } | { kind: 'not_enrolled' } | { kind: 'already_enabled' };

export async function confirmTotp(d: FactorDeps, actor: Actor, code: string): Promise<ConfirmTotpResult> {
  const now = d.clock.now();
  return withTransaction(d.pool, async (q): Promise<ConfirmTotpResult> => {
    await findUser(q, actor.user.id, { lock: true });
    const row = await lockTotp(q, actor.user.id);
    if (!row) return { kind: 'not_enrolled' };
    if (row.confirmed_at) return { kind: 'already_enabled' };
    const step = await matchingStep(d.keys, row, code, now);
    if (step === undefined || !(await confirmTotpRow(q, actor.user.id, step, now))) return { kind: 'wrong' };
    await recordFactorChange(d, q, actor, 'factor_added', 'totp', now);
    return { kind: 'confirmed' };
  });
}

export type DisableTotpResult = { kind: 'disabled' } | { kind: 'not_found' };

export async function disableTotp(d: FactorDeps, actor: Actor): Promise<DisableTotpResult> {
  const now = d.clock.now();
  return withTransaction(d.pool, async (q): Promise<DisableTotpResult> => {
    await findUser(q, actor.user.id, { lock: true });
    const was = await deleteTotp(q, actor.user.id);
    if (was === 'none') return { kind: 'not_found' };
    // An unconfirmed secret was never a way in: dropping it is not worth a notice.
    if (was === 'confirmed') await recordFactorChange(d, q, actor, 'factor_removed', 'totp', now);
    return { kind: 'disabled' };
  });
}

/** The login check, inside the caller's transaction: 'ok' burns the code's time step. */
export async function verifyTotp(q: Queryable, keys: FactorKeys, userId: string, code: string, now: Date): Promise<'ok' | 'wrong' | 'unavailable'> {
  await findUser(q, userId, { lock: true });
  const row = await lockTotp(q, userId);
  if (!row?.confirmed_at) return 'unavailable';
  const step = await matchingStep(keys, row, code, now);
  return step !== undefined && (await acceptTotpStep(q, userId, step)) ? 'ok' : 'wrong';
}

/**
 * The time step whose code `code` is, within one step either side of now (clock drift
 * and typing time) and strictly after the last accepted step; undefined otherwise.
 */
async function matchingStep(keys: FactorKeys, row: TotpRow, code: string, now: Date): Promise<number | undefined> {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return undefined;
  const epoch = Math.floor(now.getTime() / 1000);
  const newestStep = Math.floor(epoch / TOTP_PERIOD_S) + 1;
  const r = await verify({
    secret: unseal(keys.encryptionKey, row.secret_sealed, row.user_id),
    token, epoch, algorithm: 'sha1', digits: TOTP_DIGITS, period: TOTP_PERIOD_S,
    epochTolerance: TOTP_PERIOD_S,
    // otplib skips steps ≤ afterTimeStep, and throws when it lies beyond the window; a
    // stored step that far ahead (a clock set back) leaves every step refused anyway.
    afterTimeStep: Math.min(row.last_used_step, newestStep),
  });
  // The functional API's result type also covers HOTP; a TOTP match carries its step.
  return r.valid && 'timeStep' in r && r.timeStep > row.last_used_step ? r.timeStep : undefined;
}
