/** Contracts of the webhook operator routes. The signing secret appears only in `WebhookEndpointCreated`. */
import { z } from 'zod';
import type { DeliveryView } from './delivery-log.js';
import type { EndpointView } from './endpoints.js';

const MER = 'mer_019ab5c4e2d07c3a9e51f0b2d4c6a8e3';
const WHE = 'whe_019ab5c4e2d07c3a9e51f0b2d4c6a8f1';
const EVT = 'evt_019ab5c4e2d07c3a9e51f0b2d4c6a8f2';
const URL_EXAMPLE = 'https://shop.example.jp/konpay/webhooks';
const AT = '2026-03-02T03:00:00.000Z';

export const endpointParams = z.object({ merchantId: z.string().max(64).describe('`mer_…`'), endpointId: z.string().max(64).describe('`whe_…`') });
export const eventParams = z.object({ eventId: z.string().max(64).describe('`evt_…`') });
export const deliveriesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('How many attempts, newest first (1–200)'),
});

export const addEndpointBody = z.object({
  url: z.string().min(1).max(2048).describe('Where to POST events: https:// (http:// outside production)'),
}).strict().meta({ examples: [{ url: URL_EXAMPLE }] });

const endpointSchema = z.object({
  id: z.string(), merchantId: z.string(), url: z.string(), status: z.enum(['active', 'disabled']),
  createdAt: z.string(), disabledAt: z.string().nullable(),
});
const endpointExample = { id: WHE, merchantId: MER, url: URL_EXAMPLE, status: 'active', createdAt: AT, disabledAt: null } as const;

export const endpointAnswer = endpointSchema.meta({
  id: 'WebhookEndpoint', examples: [{ ...endpointExample, status: 'disabled', disabledAt: '2026-03-03T01:00:00.000Z' }],
});
export const endpointCreated = endpointSchema.extend({
  secret: z.string().describe('The signing secret (`whsec_…`), in this answer only: Konpay keeps it encrypted and cannot show it again'),
}).meta({ id: 'WebhookEndpointCreated', examples: [{ ...endpointExample, secret: 'whsec_Q2hvb3NlIGEgbmV3IG9uZSBmb3IgZWFjaCBlbmRwb2ludA' }] });
export const rotateSecretBody = z.object({
  overlapHours: z.number().int().min(0).max(168).default(24)
    .describe('How long the old secret keeps signing beside the new one (0–168 h; 0 when the old one leaked)'),
}).strict().meta({ examples: [{ overlapHours: 24 }] });
export const secretRotated = endpointSchema.extend({
  secret: z.string().describe('The new signing secret (`whsec_…`), in this answer only'),
  previousValidUntil: z.string().describe('Until when deliveries also carry a signature with the old secret'),
}).meta({ id: 'WebhookSecretRotated', examples: [{ ...endpointExample, secret: 'whsec_Q2hvb3NlIGEgbmV3IG9uZSBmb3IgZWFjaCBlbmRwb2ludA', previousValidUntil: '2026-03-03T03:00:00.000Z' }] });
export const endpointList = z.object({ endpoints: z.array(endpointSchema) })
  .meta({ id: 'WebhookEndpointList', examples: [{ endpoints: [endpointExample] }] });

export const replayAnswer = z.object({
  eventId: z.string(), merchantId: z.string(),
  endpoints: z.number().int().describe('Active endpoints the event was queued for; 0 when the merchant has none'),
}).meta({ id: 'WebhookReplay', examples: [{ eventId: EVT, merchantId: MER, endpoints: 1 }] });

export const deliveryList = z.object({
  deliveries: z.array(z.object({
    eventId: z.string(), eventType: z.string(), endpointId: z.string(), url: z.string(),
    messageId: z.string().describe('`msg_…` of the outbox message; a replay has its own'),
    attempt: z.number().int(),
    outcome: z.enum(['delivered', 'retrying', 'dead', 'skipped']).describe('delivered: 2xx; retrying: failed, another attempt is scheduled; dead: the last attempt failed; skipped: the endpoint was disabled first'),
    httpStatus: z.number().int().nullable(), error: z.string().nullable(), durationMs: z.number().int(), at: z.string(),
  })),
}).meta({
  id: 'WebhookDeliveryList',
  examples: [{
    deliveries: [
      { eventId: EVT, eventType: 'payment.approved', endpointId: WHE, url: URL_EXAMPLE, messageId: 'msg_019ab5c4e2d07c3a9e51f0b2d4c6a8f3', attempt: 2, outcome: 'delivered', httpStatus: 204, error: null, durationMs: 41, at: '2026-03-02T03:01:00.000Z' },
      { eventId: EVT, eventType: 'payment.approved', endpointId: WHE, url: URL_EXAMPLE, messageId: 'msg_019ab5c4e2d07c3a9e51f0b2d4c6a8f3', attempt: 1, outcome: 'retrying', httpStatus: 500, error: 'HTTP 500', durationMs: 38, at: AT },
    ],
  }],
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);
export const endpointView = (e: EndpointView) => ({ ...e, createdAt: e.createdAt.toISOString(), disabledAt: iso(e.disabledAt) });
export const deliveryView = (d: DeliveryView) => ({ ...d, at: d.at.toISOString() });
