/**
 * GET /dev/outbox: every message sent, newest first, as JSON or (for a browser) a small
 * page. Registered only outside production: it shows one-time codes in clear.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { z } from 'zod';
import { sendHtml } from '../../http/html.js';
import { problemSchema } from '../../http/problem.js';
import { toPublicId } from '../../shared/ids.js';
import { listDevMessages } from './repo.js';
import { renderOutboxPage } from './page.js';

const query = z.object({
  to: z.string().min(1).max(320).optional().describe('Only messages to this recipient (e-mail, phone number or user id), case-insensitive'),
  channel: z.enum(['email', 'sms', 'push']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  format: z.enum(['json', 'html']).optional().describe('Overrides the Accept header'),
});

export const devMessageSchema = z.object({
  id: z.string(),
  channel: z.enum(['email', 'sms', 'push']),
  to: z.string(),
  subject: z.string().nullable(),
  body: z.string(),
  meta: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
}).meta({ id: 'DevOutboxMessage' });

export function devOutboxRoutes(pool: pg.Pool): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/dev/outbox', {
      schema: {
        tags: ['development'],
        summary: 'Messages sent by Konpay (development only)',
        description: 'Every e-mail, SMS and push message, newest first. Browsers (Accept: text/html) get a page. Absent in production.',
        querystring: query,
        response: { 200: z.object({ messages: z.array(devMessageSchema) }).meta({ examples: [{ messages: [{ id: 'msg_019ab5c4e2d07c3a9e51f0b2d4c6a8e4', channel: 'sms', to: '+819012345678', subject: null, body: 'Konpay code: 104857 (valid 10 min). Never share it.', meta: { via: 'dev-outbox' }, createdAt: '2026-11-25T12:00:00.000Z' }] }] }), 400: problemSchema },
      },
    }, async (req, reply) => {
      const rows = await listDevMessages(pool, { recipient: req.query.to, channel: req.query.channel, limit: req.query.limit });
      const messages = rows.map((m) => ({
        id: toPublicId('msg', m.id), channel: m.channel, to: m.recipient, subject: m.subject, body: m.body,
        meta: m.meta, createdAt: m.createdAt.toISOString(),
      }));
      const wantsHtml = req.query.format ? req.query.format === 'html' : reply.request.headers.accept?.includes('text/html');
      if (wantsHtml) {
        return sendHtml(reply, renderOutboxPage(messages, req.query.to));
      }
      return { messages };
    });
  };
}
