/** Normalising the identifiers customers type: e-mail addresses and mobile numbers. */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';

const emailSchema = z.email();

/** Trimmed and lower-cased; undefined when it is not an address. */
export function normaliseEmail(input: string): string | undefined {
  const e = input.trim().toLowerCase();
  if (e.length > 254) return undefined;
  return emailSchema.safeParse(e).success ? e : undefined;
}

/**
 * A mobile number in E.164 (`+819012345678`), or undefined. Numbers without a country
 * code are read as Japanese. Only numbers that can receive SMS are accepted: the phone
 * is a second factor (ID-1).
 */
export function normaliseMobile(input: string): string | undefined {
  const parsed = parsePhoneNumberFromString(input.trim(), 'JP');
  if (!parsed || !parsed.isValid()) return undefined;
  const type = parsed.getType();
  if (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') return undefined;
  return parsed.number;
}

/** What an identifier looks like: an e-mail address or a phone number, normalised. */
export function normaliseIdentifier(input: string): { kind: 'email' | 'phone'; value: string } | undefined {
  if (input.includes('@')) {
    const email = normaliseEmail(input);
    return email ? { kind: 'email', value: email } : undefined;
  }
  const phone = normaliseMobile(input);
  return phone ? { kind: 'phone', value: phone } : undefined;
}

/** For notices to an old address: `h****@example.jp`, `+81 ****** 5678`. */
export function maskEmail(email: string): string {
  const [local, domain] = email.split('@');
  return `${local!.slice(0, 1)}****@${domain}`;
}

export function maskPhone(phone: string): string {
  return `${phone.slice(0, 3)}******${phone.slice(-4)}`;
}
