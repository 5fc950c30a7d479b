/**
 * The test-card table (docs/cardnet.md mirrors it). The behaviour of a card is decided
 * once, at tokenisation, and stored as its `profile`, so the simulator never needs the
 * card number again.
 */
export const PROFILES = [
  'frictionless', 'challenge', 'challenge_fails', 'insufficient_funds',
  'stolen_card', 'incorrect_cvc', 'network_timeout', 'chargeback',
] as const;
export type Profile = (typeof PROFILES)[number];

export const TEST_CARDS: Readonly<Record<string, Profile>> = {
  '4000000000001000': 'frictionless',
  '4000000000002008': 'challenge',
  '4000000000003006': 'challenge_fails',
  '4000000000004004': 'insufficient_funds',
  '4000000000005001': 'stolen_card',
  '4000000000006009': 'incorrect_cvc',
  '4000000000007007': 'network_timeout',
  '4000000000008005': 'chargeback',
};

/** On any card, this security code is the wrong one: authorisations decline with `incorrect_cvc`. */
export const WRONG_CVC = '000';

/** Any other valid number behaves as a plain card whose issuer always challenges. */
export const profileOf = (pan: string): Profile => TEST_CARDS[pan] ?? 'challenge';

export function luhnValid(pan: string): boolean {
  if (!/^[0-9]{12,19}$/.test(pan)) return false;
  let sum = 0;
  for (let i = 0; i < pan.length; i++) {
    let d = Number(pan[pan.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

export function brandOf(pan: string): 'visa' | 'mastercard' | 'jcb' | 'amex' | 'unknown' {
  if (pan.startsWith('4')) return 'visa';
  if (/^(5[1-5]|2[2-7])/.test(pan)) return 'mastercard';
  if (/^35(2[89]|[3-8])/.test(pan)) return 'jcb';
  if (/^3[47]/.test(pan)) return 'amex';
  return 'unknown';
}

/** Spaces and dashes are how people type card numbers; nothing else is accepted. */
export const normalisePan = (input: string): string => input.replace(/[\s-]/g, '');
