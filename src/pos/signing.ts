/**
 * PAY-2 request signing, shared by the server, the TypeScript client and (later) the POS
 * web page. Browser-safe on purpose: Web Crypto (`crypto.subtle`) and `TextEncoder`
 * only, no Buffer, no `node:` imports. docs/pos-api.md describes the scheme; its worked
 * example is checked against this file by `docs.test.ts`.
 *
 * String to sign, five lines joined by `\n` (no trailing newline):
 *
 *     METHOD
 *     path-with-query exactly as sent in the request line
 *     timestamp (unix seconds, as sent)
 *     nonce
 *     lowercase hex SHA-256 of the raw body bytes (of "" when there is no body)
 *
 * Signature: `v1=` + lowercase hex HMAC-SHA256(key = UTF-8 bytes of the terminal
 * secret, message = UTF-8 bytes of the string to sign).
 */

/** Header names as documented; Node hands them to the server lowercased. */
export const POS_HEADERS = {
  keyId: 'Konpay-Key-Id',
  timestamp: 'Konpay-Timestamp',
  nonce: 'Konpay-Nonce',
  signature: 'Konpay-Signature',
} as const;

export const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
export const TIMESTAMP_PATTERN = /^[0-9]{1,12}$/;
/** Versioned so a later scheme can be introduced beside this one. */
export const SIGNATURE_PATTERN = /^v1=([0-9a-f]{64})$/;
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export interface SigningInput {
  method: string;
  /** Path and query, exactly as in the request line: `/pos/v1/terminal?x=1`. */
  path: string;
  /** Unix seconds. */
  timestamp: number | string;
  nonce: string;
  bodySha256Hex: string;
}

export function stringToSign(p: SigningInput): string {
  return [p.method.toUpperCase(), p.path, String(p.timestamp), p.nonce, p.bodySha256Hex].join('\n');
}

const utf8 = new TextEncoder();

export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let out = '';
  for (const b of view) out += b.toString(16).padStart(2, '0');
  return out;
}

/** The body as the bytes that go on the wire: strings are UTF-8. */
export function bodyBytes(body: string | Uint8Array | undefined): Uint8Array<ArrayBuffer> {
  if (body === undefined) return new Uint8Array(0);
  return typeof body === 'string' ? utf8.encode(body) : new Uint8Array(body);
}

export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', bytes));
}

export async function hmacSha256Hex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', utf8.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return toHex(await crypto.subtle.sign('HMAC', key, utf8.encode(message)));
}

/** 16 random bytes, base64url: 22 characters, inside the allowed 16–64. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export interface SignRequestInput {
  keyId: string;
  secret: string;
  method: string;
  path: string;
  body?: string | Uint8Array;
  /** Unix seconds; now by the given clock when absent. */
  timestamp?: number;
  nonce?: string;
  now?: () => Date;
}

export interface SignedRequest {
  headers: Record<(typeof POS_HEADERS)[keyof typeof POS_HEADERS], string>;
  stringToSign: string;
}

/** The four signing headers for one request (a fresh nonce unless one is given). */
export async function signRequest(input: SignRequestInput): Promise<SignedRequest> {
  const timestamp = input.timestamp ?? Math.floor((input.now?.() ?? new Date()).getTime() / 1000);
  const nonce = input.nonce ?? newNonce();
  const s = stringToSign({
    method: input.method, path: input.path, timestamp, nonce,
    bodySha256Hex: await sha256Hex(bodyBytes(input.body)),
  });
  return {
    stringToSign: s,
    headers: {
      [POS_HEADERS.keyId]: input.keyId,
      [POS_HEADERS.timestamp]: String(timestamp),
      [POS_HEADERS.nonce]: nonce,
      [POS_HEADERS.signature]: `v1=${await hmacSha256Hex(input.secret, s)}`,
    } as SignedRequest['headers'],
  };
}
