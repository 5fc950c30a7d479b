/**
 * Passwords (ID-2): at least 8 characters (every account also has a verified phone as a
 * second factor), at most 128, any Unicode, no composition rules, refused when found in
 * the blocklist of common and breached passwords, hashed with argon2id keyed by the
 * server pepper (argon2's own `secret` input, so a stolen database alone cannot be
 * brute-forced offline).
 */
import { hash, verify, type Options } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/** ~49,000 common and breached passwords, shipped in `@zxcvbn-ts/language-common`. */
const BLOCKLIST: ReadonlySet<string> = new Set(
  (dictionary as Record<string, string[]>)['passwords-common']!.map((p) => p.toLowerCase()),
);

export type PasswordProblem = 'too_short' | 'too_long' | 'breached' | 'contains_identifier';

/** NIST SP 800-63B: normalise Unicode so the same password typed on two keyboards matches. */
export function normalisePassword(password: string): string {
  return password.normalize('NFKC');
}

/**
 * Checks a new password. `context` holds the account's own identifiers (e-mail, phone),
 * which make weak passwords however long they are.
 */
export function checkPassword(password: string, context: readonly string[] = []): PasswordProblem | undefined {
  const p = normalisePassword(password);
  const length = [...p].length; // code points, not UTF-16 units
  if (length < PASSWORD_MIN) return 'too_short';
  if (length > PASSWORD_MAX) return 'too_long';
  if (isBlocklisted(p)) return 'breached';
  const lower = p.toLowerCase();
  for (const c of context) {
    const token = c.toLowerCase().split('@')[0]!.replace(/^\+/, '');
    if (token.length >= 4 && lower.includes(token)) return 'contains_identifier';
  }
  return undefined;
}

/** Words of this service that attackers try first, whatever the account. */
const SERVICE_WORDS = ['konpay', '7pay', 'sevenpay'];

/**
 * In the list as typed, or as a listed word with digits and punctuation appended
 * ("dragon2024!"), or a service word with such decoration ("konpay123").
 */
export function isBlocklisted(password: string): boolean {
  const lower = normalisePassword(password).toLowerCase();
  const stem = lower.replace(/[\d\s!?.#@$%&*_-]+$/, '');
  return BLOCKLIST.has(lower) || (stem.length > 0 && BLOCKLIST.has(stem)) || SERVICE_WORDS.includes(stem);
}

const ARGON2ID = 2;

export interface HashParams {
  memoryKib: number;
  iterations: number;
  parallelism: number;
}

/** The password hasher; injected so tests can count verifications (ID-6) and run fast. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hashed: string, password: string): Promise<boolean>;
}

export function argon2Hasher(pepper: Buffer, params: HashParams): PasswordHasher {
  const options: Options = {
    // Algorithm.Argon2id: a const enum, which isolated modules cannot import by name.
    algorithm: ARGON2ID as Options['algorithm'],
    memoryCost: params.memoryKib,
    timeCost: params.iterations,
    parallelism: params.parallelism,
    secret: pepper,
  };
  return {
    hash: (password) => hash(normalisePassword(password), options),
    verify: async (hashed, password) => {
      try {
        return await verify(hashed, normalisePassword(password), options);
      } catch {
        return false; // a malformed stored hash never authenticates
      }
    },
  };
}
