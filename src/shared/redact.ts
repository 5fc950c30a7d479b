/**
 * Scrubbing for anything that may reach a log line. Passwords, one-time codes,
 * tokens, keys and card numbers must never be written out, whatever the depth of the
 * object or the shape of the string that carries them.
 */

/** Keys whose values are always secret, compared lowercased with `-` and `_` removed. */
const SECRET_KEYS = new Set([
  'password', 'newpassword', 'currentpassword', 'oldpassword', 'passcode', 'pin',
  'pepper', 'passwordpepper', 'secret', 'clientsecret', 'secretkey', 'privatekey',
  'signingkey', 'encryptionkey', 'apikey', 'xapikey', 'signature', 'xkonpaysignature',
  'token', 'accesstoken', 'refreshtoken', 'idtoken', 'sessiontoken', 'devicetoken',
  'authorization', 'proxyauthorization', 'cookie', 'setcookie',
  'otp', 'totp', 'smscode', 'emailcode', 'verificationcode', 'onetimecode',
  'recoverycode', 'recoverycodes', 'paymentcode', 'securitycode',
  'cvc', 'cvv', 'csc', 'cardnumber', 'pan', 'auth', 'p256dh',
]);
/** Suffixes that mark a key as secret (`resetToken`, `dbPassword`, `webhookSecret`). */
const SECRET_SUFFIXES = ['password', 'secret', 'token', 'pepper', 'privatekey', 'otp'];

export const REDACTED = '[REDACTED]';

function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[-_]/g, '');
  return SECRET_KEYS.has(k) || SECRET_SUFFIXES.some((s) => k.endsWith(s));
}

/** True for 13–19 digits (spaces or dashes allowed) that pass the Luhn check. */
function isCardNumber(candidate: string): boolean {
  const digits = candidate.replace(/[ -]/g, '');
  if (digits.length < 13 || digits.length > 19) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const CARD_LIKE = /\b\d(?:[ -]?\d){12,18}\b/g;
const BEARER = /\b(Bearer|Basic|Konpay-HMAC)\s+[^\s,;"']+/gi;
const SECRET_QUERY = /([?&;](?:token|code|otp|password|secret|key|signature|sig)=)[^&#\s"']*/gi;

export type Scrubber = (value: unknown) => unknown;

/**
 * Builds a scrubber that also removes the exact values of the server's own secrets,
 * wherever they appear in a string.
 */
export function makeScrubber(knownSecrets: readonly string[] = []): Scrubber {
  const secrets = knownSecrets.filter((s) => s.length >= 8);

  const scrubString = (s: string): string => {
    let out = s;
    for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    out = out.replace(BEARER, (_m, scheme: string) => `${scheme} ${REDACTED}`);
    out = out.replace(SECRET_QUERY, (_m, prefix: string) => `${prefix}${REDACTED}`);
    out = out.replace(CARD_LIKE, (m) => (isCardNumber(m) ? '[CARD]' : m));
    return out;
  };

  const walk = (value: unknown, depth: number, seen: WeakSet<object>): unknown => {
    if (typeof value === 'string') return scrubString(value);
    if (value === null || typeof value !== 'object') return value;
    if (depth > 8) return '[DEPTH]';
    if (seen.has(value)) return '[CIRCULAR]';
    seen.add(value);
    if (value instanceof Error) {
      const e = value as Error & { code?: unknown; statusCode?: unknown };
      return walk({ type: e.name, message: e.message, stack: e.stack, code: e.code, statusCode: e.statusCode }, depth, seen);
    }
    if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1, seen));
    if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (isSecretKey(k)) out[k] = v === undefined || v === null ? v : REDACTED;
      else if (k === 'code' && typeof v === 'string' && /^\d{4,12}$/.test(v)) out[k] = REDACTED;
      else out[k] = walk(v, depth + 1, seen);
    }
    return out;
  };

  return (value) => walk(value, 0, new WeakSet());
}
