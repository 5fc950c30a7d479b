/** Web Push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payload encryption, via `web-push`. */
import webpush from 'web-push';
import { DeliveryError } from '../../outbox/outbox.js';
import type { PushMessage, Sender } from '../port.js';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  subject: string;
}

export function webPushSender(vapid: VapidKeys, opts: { timeoutMs?: number } = {}): Sender<PushMessage> {
  return {
    name: 'web-push',
    async send(m) {
      const payload = JSON.stringify({ title: m.title, body: m.body, ...(m.url ? { url: m.url } : {}) });
      const options = { vapidDetails: vapid, TTL: 24 * 3600, contentEncoding: 'aes128gcm' as const, timeout: opts.timeoutMs ?? 10_000 };
      try {
        // Throws for a subscription web-push cannot use (malformed endpoint or keys): no retry mends that.
        webpush.generateRequestDetails(m.subscription, payload, options);
      } catch (err) {
        throw new DeliveryError(`web push: unusable subscription: ${(err as Error).message}`, true);
      }
      try {
        await webpush.sendNotification(m.subscription, payload, options);
      } catch (err) {
        const status = (err as { statusCode?: number }).statusCode;
        // 404/410: the subscription is gone (app uninstalled, permission withdrawn).
        // No status: the network failed (refused, reset, timed out) and may recover.
        const permanent = status === 404 || status === 410 || status === 400 || status === 413;
        throw new DeliveryError(`web push: ${status ?? (err as Error).message}`, permanent);
      }
    },
  };
}
