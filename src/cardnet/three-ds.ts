/**
 * 3-D Secure 2 as the issuer's access control server plays it: decide frictionless or
 * challenge, send the challenge code by SMS to the phone the issuer holds for the card,
 * and judge the code. Codes follow Konpay's own rules for one-time codes (ID-3): six
 * digits from the CSPRNG, single use, ten minutes, five wrong entries end the challenge.
 */
import { withTransaction } from '../db/tx.js';
import { hmac, randomDigits, safeEqual } from '../shared/crypto.js';
import type { CardnetDeps } from './deps.js';
import { fromCardnetId, newCardnetUuid, toCardnetId } from './ids.js';
import { findAuthentication, insertAuthentication, updateAuthentication, type AuthRow, type AuthStatus } from './repo/authentications.js';
import { findToken } from './repo/tokens.js';

export const CODE_TTL_MS = 10 * 60_000;
export const MAX_WRONG_CODES = 5;

export interface AuthenticationView {
  id: string;
  token: string;
  amount: number;
  status: AuthStatus;
  challengeUrl: string | null;
}

export type StartResult =
  | { kind: 'ok'; authentication: AuthenticationView }
  | { kind: 'token_not_found' }
  | { kind: 'return_url_not_allowed' };

export function isAllowedReturnUrl(deps: CardnetDeps, url: string): boolean {
  try {
    return deps.allowedReturnOrigins.includes(new URL(url).origin);
  } catch {
    return false;
  }
}

const codeDigest = (deps: CardnetDeps, authId: string, code: string) => hmac(deps.keys.fingerprint, 'cardnet-3ds-code', authId, code);

export function viewOf(deps: CardnetDeps, a: AuthRow): AuthenticationView {
  const id = toCardnetId('3ds', a.id);
  return {
    id, token: toCardnetId('tok', a.tokenId), amount: a.amount, status: a.status,
    challengeUrl: a.status === 'challenge_required' ? `${deps.publicUrl}/cardnet/acs/${id}` : null,
  };
}

/**
 * `challenge: 'mandate'` is 3-D Secure's "challenge requested (mandate)" indicator:
 * Konpay sends it on every request (WAL-3), so even a card the issuer would let through
 * frictionlessly gets a challenge.
 */
export async function startAuthentication(
  deps: CardnetDeps, input: { token: string; amount: number; returnUrl: string; challenge: 'mandate' | 'no_preference' },
): Promise<StartResult> {
  if (!isAllowedReturnUrl(deps, input.returnUrl)) return { kind: 'return_url_not_allowed' };
  const tokenId = fromCardnetId('tok', input.token);
  if (!tokenId) return { kind: 'token_not_found' };
  return withTransaction(deps.pool, async (tx): Promise<StartResult> => {
    const card = await findToken(tx, tokenId);
    if (!card) return { kind: 'token_not_found' };
    const now = deps.clock.now();
    const frictionless = card.profile === 'frictionless' && input.challenge === 'no_preference';
    const id = newCardnetUuid();
    const code = frictionless ? undefined : randomDigits(6);
    const row: AuthRow = {
      id, tokenId, amount: input.amount, returnUrl: input.returnUrl,
      status: frictionless ? 'authenticated' : 'challenge_required',
      codeDigest: code ? codeDigest(deps, id, code) : null,
      codeExpiresAt: code ? new Date(now.getTime() + CODE_TTL_MS) : null,
      failedAttempts: 0, createdAt: now, updatedAt: now,
    };
    await insertAuthentication(tx, row);
    if (code) {
      // Sent with the transaction (outbox): a rolled-back challenge sends no code.
      await deps.notifier.notify(tx, {
        channel: 'sms', to: card.phone,
        text: `Card issuer: your code for a ¥${input.amount.toLocaleString('en-US')} payment with card ending ${card.last4} is ${code}. It expires in 10 minutes. Never share it.`,
      });
    }
    return { kind: 'ok', authentication: viewOf(deps, row) };
  });
}

export async function getAuthentication(deps: CardnetDeps, id: string): Promise<AuthRow | undefined> {
  const uuid = fromCardnetId('3ds', id);
  return uuid ? findAuthentication(deps.pool, uuid) : undefined;
}

export type ChallengeResult =
  | { kind: 'authenticated'; returnUrl: string; id: string }
  | { kind: 'failed'; returnUrl: string; id: string }
  | { kind: 'wrong_code'; attemptsLeft: number }
  | { kind: 'not_found' };

/** Judges one code entry; the row lock makes concurrent guesses count one by one. */
export async function submitChallengeCode(deps: CardnetDeps, id: string, code: string): Promise<ChallengeResult> {
  const uuid = fromCardnetId('3ds', id);
  if (!uuid) return { kind: 'not_found' };
  return withTransaction(deps.pool, async (tx): Promise<ChallengeResult> => {
    const a = await findAuthentication(tx, uuid, true);
    if (!a) return { kind: 'not_found' };
    const now = deps.clock.now();
    const done = (status: 'authenticated' | 'failed', failedAttempts: number) =>
      updateAuthentication(tx, uuid, { status, failedAttempts, spendCode: true, at: now });
    if (a.status !== 'challenge_required' || !a.codeDigest || !a.codeExpiresAt) {
      return { kind: a.status === 'authenticated' ? 'authenticated' : 'failed', returnUrl: a.returnUrl, id };
    }
    if (a.codeExpiresAt <= now) {
      await done('failed', a.failedAttempts);
      return { kind: 'failed', returnUrl: a.returnUrl, id };
    }
    if (!safeEqual(codeDigest(deps, uuid, code), a.codeDigest)) {
      const failed = a.failedAttempts + 1;
      if (failed >= MAX_WRONG_CODES) {
        await done('failed', failed);
        return { kind: 'failed', returnUrl: a.returnUrl, id };
      }
      await updateAuthentication(tx, uuid, { status: 'challenge_required', failedAttempts: failed, spendCode: false, at: now });
      return { kind: 'wrong_code', attemptsLeft: MAX_WRONG_CODES - failed };
    }
    // The right code, but this test card's issuer refuses anyway (its risk decision).
    const card = await findToken(tx, a.tokenId);
    const outcome = card?.profile === 'challenge_fails' ? 'failed' : 'authenticated';
    await done(outcome, a.failedAttempts);
    return { kind: outcome, returnUrl: a.returnUrl, id };
  });
}
