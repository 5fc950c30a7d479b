/**
 * Sending merchant webhooks from the outbox (topic `merchant.webhook`). A message names
 * an event and an endpoint, never a body or a secret: the body is rebuilt from the
 * event row and signed at send time with the endpoint's secret and the clock's now, so
 * every attempt and every replay carries a fresh timestamp. 2xx is delivered; anything
 * else, or no answer within the timeout, is retried. Every attempt is logged in
 * webhook_deliveries.
 */
import { performance } from 'node:perf_hooks';
import { DeliveryError, type RetryPolicy, type TopicHandler } from '../outbox/outbox.js';
import { unseal } from '../shared/crypto.js';
import { newUuid } from '../shared/ids.js';
import { endpointSecretAad, type WebhookSenderDeps } from './deps.js';
import { eventBody } from './events.js';
import { findDeliveryTarget, insertDelivery, type DeliveryOutcome, type DeliveryTarget } from './repo.js';
import { SIGNATURE_HEADER, signKonpayWebhook } from './signature.js';
import type { PostResult } from './transport.js';

export const WEBHOOK_TOPIC = 'merchant.webhook';

/** The outbox payload: database ids only. */
export interface WebhookMessage { eventId: string; endpointId: string }

/**
 * About three days of retries (PAY-3). The outbox waits base × 2^(n−1), capped, ±25 %
 * jitter, after failed attempt n (src/outbox/outbox.ts `backoffMs`). So attempts go out
 * at 0, then after 1, 2, 4, 8, 16, 32, 64 and 128 minutes (4 h 15 min in all), then
 * every 4 hours for 17 more waits (68 h): attempt 26, the last, ≈ 72 h 15 min after the
 * first. After it the message is dead; an operator can replay the event.
 */
export const WEBHOOK_RETRY: RetryPolicy = { maxAttempts: 26, baseDelayMs: 60_000, maxDelayMs: 4 * 3_600_000 };

export function webhookTopicHandler(deps: WebhookSenderDeps): TopicHandler<WebhookMessage> {
  return {
    topic: WEBHOOK_TOPIC,
    retry: WEBHOOK_RETRY,
    async deliver(message, ctx) {
      const target = await findDeliveryTarget(deps.pool, message.eventId, message.endpointId);
      // Events and endpoints are never deleted; a miss means the message is not ours to send.
      if (!target) throw new DeliveryError('webhook event or endpoint not found', true);
      const record = (outcome: DeliveryOutcome, result: PostResult | undefined, error: string | null, durationMs: number) =>
        insertDelivery(deps.pool, {
          id: newUuid(), eventId: target.event.id, endpointId: target.endpoint.id, merchantId: target.event.merchant_id,
          outboxId: ctx.id, attempt: ctx.attempt, outcome, httpStatus: result?.kind === 'answered' ? result.status : null,
          error, durationMs, at: deps.clock.now(),
        });

      if (target.endpoint.status !== 'active') {
        // Disabled after this message was queued: the merchant asked for nothing more there.
        await record('skipped', undefined, 'endpoint disabled', 0);
        throw new DeliveryError('webhook endpoint disabled', true);
      }
      const { result, durationMs } = await send(deps, target);
      if (result.kind === 'answered' && result.status >= 200 && result.status < 300) {
        // The receiver has it: a failure to log must not send it again.
        await record('delivered', result, null, durationMs).catch((err: unknown) =>
          deps.logger.error({ err, outboxId: ctx.id }, 'webhook delivered but not logged'));
        return;
      }
      const error = result.kind === 'answered' ? `HTTP ${result.status}` : result.error;
      await record(ctx.attempt >= WEBHOOK_RETRY.maxAttempts ? 'dead' : 'retrying', result, error, durationMs);
      throw new DeliveryError(`webhook ${error}`, false);
    },
  };
}

async function send(deps: WebhookSenderDeps, target: DeliveryTarget): Promise<{ result: PostResult; durationMs: number }> {
  const body = JSON.stringify(eventBody(target.event));
  const e = target.endpoint;
  const now = deps.clock.now();
  // While a rotation's overlap lasts, the previous secret signs too: either one verifies.
  const sealed = [e.secret_sealed, ...(e.previous_secret_sealed && e.previous_secret_until && e.previous_secret_until > now ? [e.previous_secret_sealed] : [])];
  const secrets = sealed.map((s) => unseal(deps.encryptionKey, s, endpointSecretAad(e.id)));
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'Konpay-Webhooks/1',
    [SIGNATURE_HEADER]: signKonpayWebhook(secrets, body, now),
  };
  // Real elapsed time, not the injected clock: this measures the receiver, not business time.
  const started = performance.now();
  const result = await deps.transport.post(target.endpoint.url, body, headers);
  return { result, durationMs: Math.round(performance.now() - started) };
}
