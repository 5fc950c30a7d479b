/**
 * Verifies a card-network webhook: `t=<unix>,v1=<hex>` over `${t}.${body}` (HMAC-SHA256,
 * shared secret), compared in constant time, and refused when older than the tolerance
 * so a captured delivery cannot be replayed later.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type WebhookCheck = { kind: 'valid' } | { kind: 'invalid'; why: 'malformed' | 'signature' | 'stale' };

export function verifyWebhook(secret: string, header: string | undefined, rawBody: string, now: Date, toleranceSeconds = 300): WebhookCheck {
  const parts = new Map((header ?? '').split(',').map((p) => p.split('=', 2) as [string, string | undefined]));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1');
  if (!Number.isInteger(t) || !v1 || !/^[0-9a-f]{64}$/.test(v1)) return { kind: 'invalid', why: 'malformed' };
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  if (!timingSafeEqual(expected, Buffer.from(v1, 'hex'))) return { kind: 'invalid', why: 'signature' };
  if (Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return { kind: 'invalid', why: 'stale' };
  return { kind: 'valid' };
}
