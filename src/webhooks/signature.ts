/**
 * The `Konpay-Signature` header of merchant webhooks (docs/merchant-webhooks.md):
 * `t=<unix seconds>,v1=<hex>`, v1 = HMAC-SHA256 over `${t}.${body}` keyed with the
 * endpoint secret's UTF-8 bytes (the whole `whsec_…` string). The timestamp is inside
 * the MAC, so a receiver can refuse an old delivery replayed by someone who captured it.
 *
 * `verifyKonpaySignature` is the receiver's side, the code the docs show merchants;
 * Konpay's own tests check deliveries with it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'konpay-signature';
/** What receivers should allow between `t` and their clock, either way. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function signatureHex(secret: string, t: number, body: string): string {
  return createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
}

/** One `v1` per secret: during a rotation the old and the new one both sign. */
export function signKonpayWebhook(secrets: string | readonly string[], body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return [`t=${t}`, ...[secrets].flat().map((secret) => `v1=${signatureHex(secret, t, body)}`)].join(',');
}

export type SignatureCheck = { kind: 'valid'; t: number } | { kind: 'invalid'; why: 'malformed' | 'signature' | 'stale' };

/**
 * Checks a delivery against the raw body bytes as received (parse JSON only after).
 * Any `v1` that matches passes, so a receiver keeps working if Konpay ever sends
 * several during a secret rotation.
 */
export function verifyKonpaySignature(
  secret: string, header: string | undefined, rawBody: string, now: Date, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): SignatureCheck {
  const parts = (header ?? '').split(',').map((p) => p.trim().split('=', 2) as [string, string | undefined]);
  const tText = parts.find(([k]) => k === 't')?.[1] ?? '';
  const candidates = parts.filter(([k, v]) => k === 'v1' && v !== undefined && /^[0-9a-f]{64}$/.test(v)).map(([, v]) => Buffer.from(v!, 'hex'));
  if (!/^\d{1,12}$/.test(tText) || candidates.length === 0) return { kind: 'invalid', why: 'malformed' };
  const t = Number(tText);
  const expected = Buffer.from(signatureHex(secret, t, rawBody), 'hex');
  if (!candidates.some((c) => timingSafeEqual(c, expected))) return { kind: 'invalid', why: 'signature' };
  if (Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return { kind: 'invalid', why: 'stale' };
  return { kind: 'valid', t };
}
