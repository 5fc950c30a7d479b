/**
 * The shape of a payment code (PAY-1): Konpay's issuer prefix, then random digits from
 * the CSPRNG, nothing else. No user id, phone or account number is in it, so a code seen
 * over a shoulder or in a screenshot names nobody; 18 random digits are 59.8 bits, so
 * guessing one of the few codes alive at any moment is hopeless well within their 5
 * minutes. Digits only, so Code 128 packs two per symbol (set C) and a cashier can type
 * it from the printed line when a scanner fails.
 */
import { hmac, randomDigits } from '../shared/crypto.js';

/** Konpay's issuer prefix: lets a till route a scanned code to us before any lookup. */
export const ISSUER_PREFIX = '99';
export const RANDOM_DIGITS = 18;
export const CODE_LENGTH = ISSUER_PREFIX.length + RANDOM_DIGITS;

const SHAPE = new RegExp(`^${ISSUER_PREFIX}\\d{${RANDOM_DIGITS}}$`);

/** Bits of unpredictability in a code: log2(10^18) ≈ 59.8 (PAY-1 asks for ≥ 50). */
export const CODE_ENTROPY_BITS = RANDOM_DIGITS * Math.log2(10);

export function newPaymentCode(): string {
  return ISSUER_PREFIX + randomDigits(RANDOM_DIGITS);
}

/** A cheap check before any lookup: digits, length, prefix. Anything else is no code of ours. */
export function isPaymentCodeShape(code: string): boolean {
  return code.length === CODE_LENGTH && SHAPE.test(code);
}

/**
 * The stored form: HMAC-SHA256 under the signing key, domain-separated. Keyed, because
 * 10^18 codes could otherwise be hashed by anyone holding a database dump.
 */
export function paymentCodeDigest(signingKey: Buffer, code: string): Buffer {
  return hmac(signingKey, 'payment-code', code);
}
