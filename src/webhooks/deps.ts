/** What the webhook use cases need, given by the composition root (server.ts) or the ops CLI. */
import type pg from 'pg';
import type { Outbox } from '../outbox/outbox.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { WebhookTransport } from './transport.js';

export interface WebhookDeps {
  pool: pg.Pool;
  clock: Clock;
  /** Must have the `merchant.webhook` handler (delivery.ts) registered. */
  outbox: Outbox;
  /** KONPAY_ENCRYPTION_KEY: endpoint secrets are sealed under it. */
  encryptionKey: Buffer;
  /** Production accepts only https:// endpoints. */
  httpsOnly: boolean;
  /** Production refuses endpoints at a private address or localhost (checked again at each connection). */
  publicOnly?: boolean;
}

export interface WebhookSenderDeps {
  pool: pg.Pool;
  clock: Clock;
  logger: Logger;
  encryptionKey: Buffer;
  /** POSTs to endpoints: WEBHOOK_TIMEOUT_MS, and public addresses only in production. */
  transport: Pick<WebhookTransport, 'post'>;
}

/** The AAD an endpoint's sealed secret is bound to: a sealed value copied to another row does not open. */
export const endpointSecretAad = (endpointUuid: string) => `webhook-endpoint:${endpointUuid}`;
