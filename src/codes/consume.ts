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
import { findCodes, releaseCodes, useCodesIfValid, type CodeRow } from './repo/codes.js';

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
  return (await consumePaymentCodes(d, q, [code], now))[0]!;
}

/**
 * The same for a batch of tills' codes, in two statements at most: one uses every code
 * that can pay, and only when some could not, one reads those again to say why. Answers
 * in the order given; a code given twice pays once (the later copy is `used`).
 */
export async function consumePaymentCodes(d: Keys, q: Queryable, codes: readonly string[], now: Date): Promise<CodeOutcome[]> {
  const digests = codes.map((c) => (isPaymentCodeShape(c) ? paymentCodeDigest(d.signingKey, c) : undefined));
  const wanted = [...new Map(digests.filter((x): x is Buffer => !!x).map((x) => [x.toString('hex'), x])).values()];
  const used = new Map((wanted.length ? await useCodesIfValid(q, wanted, now) : []).map((r) => [r.code_digest.toString('hex'), r]));
  const refused = wanted.filter((x) => !used.has(x.toString('hex')));
  const rows = new Map((refused.length ? await findCodes(q, refused, { lock: true }) : []).map((r) => [r.code_digest.toString('hex'), r]));
  const taken = new Set<string>();
  return digests.map((digest): CodeOutcome => {
    if (!digest) return { kind: 'unknown' };
    const hex = digest.toString('hex');
    const u = used.get(hex);
    if (u) {
      // A second copy of the code in this batch finds it used, as a second till would.
      if (taken.has(hex)) return { kind: 'used' };
      taken.add(hex);
      return { kind: 'ok', userId: u.user_id, deviceId: u.device_id, codeId: u.id };
    }
    const outcome = judge(rows.get(hex), now);
    // Valid now but not a moment ago cannot happen under the lock; the guard keeps it a refusal.
    return outcome.kind === 'ok' ? { kind: 'used' } : outcome;
  });
}

/**
 * Gives used codes back, in the same transaction that used them, when what they were
 * used for is declined after all (the customer tops up and pays with the same code).
 */
export async function giveCodesBack(q: Queryable, codeIds: readonly string[]): Promise<void> {
  if (codeIds.length) await releaseCodes(q, codeIds);
}

/** What consuming would answer now, changing nothing (a till's "check" before asking the amount). */
export async function peekPaymentCode(d: Keys, q: Queryable, code: string, now: Date): Promise<CodeOutcome> {
  if (!isPaymentCodeShape(code)) return { kind: 'unknown' };
  return judge((await findCodes(q, [paymentCodeDigest(d.signingKey, code)], { lock: false }))[0], now);
}
