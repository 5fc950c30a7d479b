/**
 * Recovery codes (ID-7, ID-11): ten single-use codes for when the phone is lost, shown
 * once and kept only as keyed hashes bound to the account. A new set replaces the old.
 *
 * A code is 10 characters from a 31-letter alphabet without look-alikes (0/o, 1/l/i),
 * about 49 bits: far beyond guessing within the login flow's 5 tries, and the server key
 * in the hash stops offline guessing from a stolen table.
 */
import { randomInt } from 'node:crypto';
import type { Queryable } from '../../db/pool.js';
import { withTransaction } from '../../db/tx.js';
import { hmac } from '../../shared/crypto.js';
import { newUuid } from '../../shared/ids.js';
import { findUser } from '../repo/users.js';
import type { Actor, FactorDeps, FactorKeys } from './deps.js';
import { recordFactorChange } from './notice.js';
import { consumeRecoveryCode, recoveryCodeStats, replaceRecoveryCodes } from './repo.js';

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const LENGTH = 10;
const SHAPE = new RegExp(`^[${ALPHABET}]{${LENGTH}}$`);

/** One code from the CSPRNG, shown grouped for reading: `abcd-efgh-jk`. */
export function newRecoveryCode(): string {
  let s = '';
  for (let i = 0; i < LENGTH; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}`;
}

/** What the customer typed, as stored: case, spaces and hyphens do not matter. */
export function normaliseRecoveryCode(input: string): string | undefined {
  const s = input.toLowerCase().replace(/[\s-]+/g, '');
  return SHAPE.test(s) ? s : undefined;
}

function codeHash(keys: FactorKeys, userId: string, normalised: string): Buffer {
  return hmac(keys.signingKey, 'recovery-code', userId, normalised);
}

export interface IssuedRecoveryCodes {
  codes: string[];
  createdAt: Date;
}

export async function issueRecoveryCodes(d: FactorDeps, actor: Actor): Promise<IssuedRecoveryCodes> {
  const now = d.clock.now();
  const codes = new Set<string>();
  while (codes.size < RECOVERY_CODE_COUNT) codes.add(newRecoveryCode());
  const rows = [...codes].map((c) => ({ id: newUuid(), hash: codeHash(d.keys, actor.user.id, normaliseRecoveryCode(c)!) }));
  await withTransaction(d.pool, async (q) => {
    // The user row lock serialises two concurrent requests, so one set replaces the other
    // instead of both being inserted.
    await findUser(q, actor.user.id, { lock: true });
    await replaceRecoveryCodes(q, actor.user.id, rows, now);
    await recordFactorChange(d, q, actor, 'factor_added', 'recovery_code', now);
  });
  return { codes: [...codes], createdAt: now };
}

/** The login check, inside the caller's transaction: 'ok' has used the code up. */
export async function useRecoveryCode(q: Queryable, keys: FactorKeys, userId: string, code: string, now: Date): Promise<'ok' | 'wrong' | 'unavailable'> {
  // Same lock order as issuing a new set (user row, then codes), so the two cannot deadlock.
  await findUser(q, userId, { lock: true });
  if ((await recoveryCodeStats(q, userId)).remaining === 0) return 'unavailable';
  const normalised = normaliseRecoveryCode(code);
  if (!normalised) return 'wrong';
  return (await consumeRecoveryCode(q, userId, codeHash(keys, userId, normalised), now)) ? 'ok' : 'wrong';
}
