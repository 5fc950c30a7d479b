/**
 * What a till does with a scanned code (PAY-1, PAY-5), inside the caller's payment
 * transaction: look the code up by its digest under a row lock, and use it up in the
 * same transaction as the payment, so the payment and the code's use commit together
 * or not at all. Two tills racing on one code queue on the lock; the second sees `used`
 * (under SERIALIZABLE it fails with 40001, and its retry sees `used`).
 *
 * A refusal says why, in this order: used, superseded (the app showed a newer code),
 * expired, revoked (the device or session that made it was signed out since: a lost
 * phone, "this wasn't me"). A string that is not of our shape is `unknown` without any
 * query. The code itself is never logged.
 */
import type { Queryable } from '../db/pool.js';
import type { CodesDeps } from './deps.js';
import { isPaymentCodeShape, paymentCodeDigest } from './format.js';
import { findCode, releaseCode, useCodeIfValid, type CodeRow } from './repo/codes.js';

export type CodeOutcome =
  | { kind: 'ok'; userId: string; deviceId: string; codeId: string }
  | { kind: 'unknown' }
  | { kind: 'used' }
  | { kind: 'superseded' }
  | { kind: 'expired' }
  | { kind: 'revoked' };

type Keys = Pick<CodesDeps, 'signingKey'>;

function judge(row: CodeRow | undefined, now: Date): CodeOutcome {
  if (!row) return { kind: 'unknown' };
  if (row.used_at) return { kind: 'used' };
  if (row.superseded_at) return { kind: 'superseded' };
  if (row.expires_at.getTime() <= now.getTime()) return { kind: 'expired' };
  if (row.revoked) return { kind: 'revoked' };
  return { kind: 'ok', userId: row.user_id, deviceId: row.device_id, codeId: row.id };
}

/** Uses the code up, if it can pay, in the caller's transaction (`q` must be inside one). */
export async function consumePaymentCode(d: Keys, q: Queryable, code: string, now: Date): Promise<CodeOutcome> {
  if (!isPaymentCodeShape(code)) return { kind: 'unknown' };
  const digest = paymentCodeDigest(d.signingKey, code);
  // The usual case in one statement; only a refusal reads the row again to say why.
  const used = await useCodeIfValid(q, digest, now);
  if (used) return { kind: 'ok', userId: used.user_id, deviceId: used.device_id, codeId: used.id };
  const outcome = judge(await findCode(q, digest, { lock: true }), now);
  // Valid now but not a moment ago cannot happen under the lock; the guard keeps it a refusal.
  return outcome.kind === 'ok' ? { kind: 'used' } : outcome;
}

/**
 * Gives a used code back, in the same transaction that used it, when what it was used
 * for is declined after all (the customer tops up and pays with the same code).
 */
export function giveCodeBack(q: Queryable, codeId: string): Promise<void> {
  return releaseCode(q, codeId);
}

/** What consuming would answer now, changing nothing (a till's "check" before asking the amount). */
export async function peekPaymentCode(d: Keys, q: Queryable, code: string, now: Date): Promise<CodeOutcome> {
  if (!isPaymentCodeShape(code)) return { kind: 'unknown' };
  return judge(await findCode(q, paymentCodeDigest(d.signingKey, code), { lock: false }), now);
}
