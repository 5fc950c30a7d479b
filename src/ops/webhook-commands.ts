/** Operator commands for merchant webhooks (src/webhooks/). */
import pino from 'pino';
import { Outbox } from '../outbox/outbox.js';
import { secretBytes } from '../secrets.js';
import { webhookTopicHandler } from '../webhooks/delivery.js';
import type { WebhookDeps } from '../webhooks/deps.js';
import { addEndpoint, DEFAULT_OVERLAP_HOURS, rotateSecret } from '../webhooks/endpoints.js';
import { replayEvent } from '../webhooks/replay.js';
import type { Command, OpsContext } from './command.js';

const NO_SENDING = { post: () => Promise.reject(new Error('the ops CLI enqueues webhooks; the server sends them')) };

function depsOf(ctx: OpsContext): WebhookDeps {
  const encryptionKey = secretBytes(ctx.config.secrets.encryptionKey);
  // The CLI only enqueues: the handler is registered so the outbox knows the topic's
  // retry policy; the running server's worker does the sending.
  const handler = webhookTopicHandler({
    pool: ctx.pool, clock: ctx.clock, encryptionKey, transport: NO_SENDING, logger: pino({ level: 'silent' }),
  });
  return { pool: ctx.pool, clock: ctx.clock, outbox: new Outbox([handler], ctx.clock), encryptionKey, httpsOnly: ctx.config.webhooks.httpsOnly, publicOnly: ctx.config.webhooks.publicOnly };
}

export const webhookCommands: readonly Command[] = [
  {
    name: 'webhooks add', usage: '--merchant <merchant-id> --url <url>', options: ['merchant', 'url'],
    summary: 'Add a webhook endpoint for a merchant; prints its signing secret once',
    async run(ctx, { options }) {
      const r = await addEndpoint(depsOf(ctx), { merchantId: options.merchant!, url: options.url! });
      if (r.kind === 'not_found') {
        ctx.err(`no merchant ${options.merchant}`);
        return 1;
      }
      if (r.kind === 'url_refused') {
        ctx.err(`the URL ${r.reason}`);
        return 1;
      }
      // Printed to standard output only, never logged.
      ctx.out(`webhook endpoint ${r.endpoint.id} added for merchant ${r.endpoint.merchantId}`);
      ctx.out(`  url             ${r.endpoint.url}`);
      ctx.out(`  signing secret  ${r.secret}`);
      ctx.out('');
      ctx.out('WARNING: the signing secret is shown only this once. Give it to the merchant now;');
      ctx.out('Konpay keeps it encrypted and cannot show it again (docs/merchant-webhooks.md).');
      return 0;
    },
  },
  {
    name: 'webhooks rotate-secret', usage: '--merchant <merchant-id> --endpoint <endpoint-id> [--overlap-hours 0..168]', options: ['merchant', 'endpoint', 'overlap-hours'],
    summary: 'A new signing secret, printed once; the old one keeps signing beside it for the overlap (default 24 h; 0 when it leaked)',
    async run(ctx, { options }) {
      const raw = options['overlap-hours'] ?? String(DEFAULT_OVERLAP_HOURS);
      if (!/^\d{1,3}$/.test(raw) || Number(raw) > 168) {
        ctx.err('--overlap-hours must be a whole number of hours from 0 to 168');
        return 2;
      }
      const r = await rotateSecret(depsOf(ctx), { merchantId: options.merchant!, endpointId: options.endpoint!, overlapHours: Number(raw) });
      if (r.kind === 'not_found') {
        ctx.err(`no active webhook endpoint ${options.endpoint} of merchant ${options.merchant}`);
        return 1;
      }
      // Printed to standard output only, never logged.
      ctx.out(`webhook endpoint ${r.endpoint.id}: new signing secret`);
      ctx.out(`  signing secret  ${r.secret}`);
      ctx.out(`  old secret signs too until ${r.previousValidUntil.toISOString()}`);
      ctx.out('');
      ctx.out('WARNING: the new secret is shown only this once. Give it to the merchant now.');
      return 0;
    },
  },
  {
    name: 'webhooks replay', usage: '<event-id>', positionals: 1,
    summary: 'Send an event again to its merchant\'s active endpoints (fresh signature)',
    async run(ctx, { positionals: [id] }) {
      const r = await replayEvent(depsOf(ctx), id!);
      if (r.kind === 'not_found') {
        ctx.err(`no webhook event ${id}`);
        return 1;
      }
      ctx.out(`event ${r.eventId} queued for ${r.endpoints} active endpoint${r.endpoints === 1 ? '' : 's'} of merchant ${r.merchantId}`);
      return 0;
    },
  },
];
