/**
 * Tokenisation: the card number comes in once and leaves as a token, a fingerprint and
 * its last four digits. Neither the number nor the security code is stored, logged or
 * answered; the fingerprint lets a merchant spot the same card on two accounts without
 * ever learning the number.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { withTransaction } from '../db/tx.js';
import { hmac } from '../shared/crypto.js';
import type { CardnetDeps } from './deps.js';
import { fromCardnetId, newCardnetUuid, toCardnetId } from './ids.js';
import { findToken, insertToken } from './repo/tokens.js';
import { brandOf, luhnValid, normalisePan, profileOf, WRONG_CVC } from './test-cards.js';

export interface CardInput {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
  holderName: string;
  phone: string;
}

export interface TokenisedCard {
  token: string;
  fingerprint: string;
  last4: string;
  brand: string;
  expMonth: number;
  expYear: number;
}

export type TokeniseResult =
  | { kind: 'ok'; card: TokenisedCard }
  | { kind: 'invalid'; field: 'number' | 'expiry' | 'cvc' | 'holderName' | 'phone' }
  | { kind: 'expired' };

export const fingerprintOf = (key: Buffer, pan: string): string => `fp_${hmac(key, 'cardnet-fingerprint', pan).toString('base64url')}`;

export async function tokenise(deps: CardnetDeps, input: CardInput): Promise<TokeniseResult> {
  const pan = normalisePan(input.number);
  if (!luhnValid(pan)) return { kind: 'invalid', field: 'number' };
  if (!Number.isInteger(input.expMonth) || input.expMonth < 1 || input.expMonth > 12) return { kind: 'invalid', field: 'expiry' };
  const expYear = input.expYear < 100 ? 2000 + input.expYear : input.expYear;
  if (!/^[0-9]{3,4}$/.test(input.cvc)) return { kind: 'invalid', field: 'cvc' };
  const holderName = input.holderName.trim();
  if (holderName.length < 1 || holderName.length > 100) return { kind: 'invalid', field: 'holderName' };
  const phone = parsePhoneNumberFromString(input.phone, 'JP');
  if (!phone?.isValid()) return { kind: 'invalid', field: 'phone' };

  const now = deps.clock.now();
  // A card is valid through the last day of its expiry month (UTC here; issuers vary).
  if (expYear * 12 + input.expMonth < now.getUTCFullYear() * 12 + now.getUTCMonth() + 1) return { kind: 'expired' };

  const id = newCardnetUuid();
  const row = {
    id,
    fingerprint: fingerprintOf(deps.keys.fingerprint, pan),
    // The issuer knows each card's real security code; here `000` is always the wrong one.
    profile: input.cvc === WRONG_CVC ? 'incorrect_cvc' as const : profileOf(pan),
    brand: brandOf(pan),
    last4: pan.slice(-4),
    expMonth: input.expMonth,
    expYear,
    holderName,
    phone: phone.number,
    createdAt: now,
  };
  await withTransaction(deps.pool, (tx) => insertToken(tx, row));
  return {
    kind: 'ok',
    card: { token: toCardnetId('tok', id), fingerprint: row.fingerprint, last4: row.last4, brand: row.brand, expMonth: row.expMonth, expYear },
  };
}

/** A token as the merchant may see it (never the number). */
export async function readToken(deps: CardnetDeps, token: string): Promise<TokenisedCard | undefined> {
  const id = fromCardnetId('tok', token);
  const row = id ? await findToken(deps.pool, id) : undefined;
  return row && { token, fingerprint: row.fingerprint, last4: row.last4, brand: row.brand, expMonth: row.expMonth, expYear: row.expYear };
}
