/**
 * Webhook signatures, Stripe's scheme: header `t=<unix seconds>,v1=<hex>` where v1 is
 * HMAC-SHA256 over `${t}.${body}` with the shared secret. The timestamp inside the MAC
 * lets the receiver refuse replays of an old, genuinely signed delivery.
 */
import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'cardnet-signature';

export function signWebhook(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}
