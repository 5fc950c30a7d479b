/** The signed-in customer's account: profile, sessions, devices, security events. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withTransaction } from '../../db/tx.js';
import { problemSchema } from '../../http/problem.js';
import { problem } from '../../shared/errors.js';
import { fromPublicId, toPublicId } from '../../shared/ids.js';
import type { IdentityDeps } from '../deps.js';
import { identityErrors } from '../errors.js';
import { clearSessionCookies, requireSession, type AuthDeps } from '../http-auth.js';
import { listSecurityEvents } from '../repo/events.js';
import { listDevices, listSessions, revokeAllSessions, revokeDevice, revokeSession } from '../repo/sessions.js';
import { meSchema } from '../schemas.js';

const errors = { 401: problemSchema, 403: problemSchema, 404: problemSchema };
const security: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];

const sessionView = z.object({ id: z.string(), current: z.boolean(), transport: z.enum(['cookie', 'bearer']), deviceId: z.string().nullable(), createdAt: z.string(), lastSeenAt: z.string(), expiresAt: z.string(), ip: z.string().nullable(), userAgent: z.string().nullable() });
const deviceView = z.object({ id: z.string(), label: z.string(), current: z.boolean(), createdAt: z.string(), lastSeenAt: z.string() });
const eventView = z.object({ id: z.string(), kind: z.string(), ip: z.string().nullable(), createdAt: z.string(), details: z.record(z.string(), z.unknown()) });

const sessionsList = z.object({ sessions: z.array(sessionView) }).meta({ examples: [{ sessions: [{
  id: 'ses_019ab5c4e2d07c3a9e51f0b2d4c6a8e1', current: true, transport: 'bearer', deviceId: 'dev_019ab5c4e2d07c3a9e51f0b2d4c6a8e2',
  createdAt: '2026-11-25T09:00:00.000Z', lastSeenAt: '2026-11-25T11:58:00.000Z', expiresAt: '2026-12-25T09:00:00.000Z', ip: '203.0.113.7', userAgent: 'Konpay/1.0 (iPhone)',
}] }] });
const devicesList = z.object({ devices: z.array(deviceView) }).meta({ examples: [{ devices: [{
  id: 'dev_019ab5c4e2d07c3a9e51f0b2d4c6a8e2', label: "Hanako's iPhone", current: true, createdAt: '2026-11-01T09:00:00.000Z', lastSeenAt: '2026-11-25T11:58:00.000Z',
}] }] });
const eventsList = z.object({ events: z.array(eventView) }).meta({ examples: [{ events: [{
  id: 'evt_019ab5c4e2d07c3a9e51f0b2d4c6a8e3', kind: 'new_device_login', ip: '203.0.113.7', createdAt: '2026-11-25T09:00:00.000Z', details: { method: 'sms', device: 'Work laptop' },
}] }] });
const revokedCount = z.object({ revoked: z.number().int() }).meta({ examples: [{ revoked: 3 }] });

export function meRoutes(d: IdentityDeps, auth: AuthDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('preHandler', requireSession(auth));

    app.get('/v1/me', { schema: { tags: ['account'], summary: 'Your account', security, response: { 200: meSchema, ...errors } } }, async (req) => {
      const { user, session } = req.auth!;
      const now = d.clock.now();
      return {
        id: toPublicId('usr', user.id), email: user.email, phone: user.phone, locale: user.locale,
        factors: ['sms' as const, ...(await d.factors.methods(d.pool, user.id)).filter((m) => m !== 'sms')],
        devices: (await listDevices(d.pool, user.id)).map((x) => ({ id: toPublicId('dev', x.id), label: x.label, current: x.id === session.device_id, lastSeenAt: x.last_seen_at.toISOString() })),
        restrictedUntil: user.restricted_until && user.restricted_until > now ? user.restricted_until.toISOString() : null,
        frozen: !!user.frozen_at, mustResetPassword: user.must_reset_password, createdAt: user.created_at.toISOString(),
      };
    });

    app.get('/v1/me/sessions', { schema: { tags: ['account'], summary: 'Your signed-in sessions', security, response: { 200: sessionsList, ...errors } } }, async (req) => {
      const { user, session } = req.auth!;
      const rows = await listSessions(d.pool, user.id, d.clock.now());
      return {
        sessions: rows.map((s) => ({
          id: toPublicId('ses', s.id), current: s.id === session.id, transport: s.transport, deviceId: s.device_id ? toPublicId('dev', s.device_id) : null,
          createdAt: s.created_at.toISOString(), lastSeenAt: s.last_seen_at.toISOString(), expiresAt: s.expires_at.toISOString(), ip: s.ip, userAgent: s.user_agent,
        })),
      };
    });

    app.delete('/v1/me/sessions/:sessionId', {
      schema: { tags: ['account'], summary: 'Sign out one session', security, params: z.object({ sessionId: z.string().max(40) }), response: { 204: z.null(), ...errors } },
    }, async (req, reply) => {
      const id = fromPublicId('ses', req.params.sessionId);
      const ok = id && (await revokeSession(d.pool, req.auth!.user.id, id, d.clock.now()));
      if (!ok) throw problem(identityErrors, 'not_found_session');
      if (id === req.auth!.session.id) clearSessionCookies(reply);
      return reply.code(204).send(null);
    });

    app.post('/v1/logout', { schema: { tags: ['account'], summary: 'Sign out this session', security, response: { 204: z.null(), ...errors } } }, async (req, reply) => {
      await revokeSession(d.pool, req.auth!.user.id, req.auth!.session.id, d.clock.now());
      clearSessionCookies(reply);
      return reply.code(204).send(null);
    });

    app.post('/v1/me/sessions/revoke-all', {
      schema: { tags: ['account'], summary: 'Sign out everywhere', description: 'Ends every session of the account, this one included.', security, response: { 200: revokedCount, ...errors } },
    }, async (req, reply) => {
      const { user, session } = req.auth!;
      const now = d.clock.now();
      const revoked = await withTransaction(d.pool, async (q) => {
        const n = await revokeAllSessions(q, user.id, now);
        await d.events.record(q, user, 'sessions_revoked', { ip: req.ip, deviceId: session.device_id, now });
        return n;
      });
      clearSessionCookies(reply);
      return { revoked };
    });

    app.get('/v1/me/devices', { schema: { tags: ['account'], summary: 'Devices remembered for sign-in', security, response: { 200: devicesList, ...errors } } }, async (req) => {
      const { user, session } = req.auth!;
      return {
        devices: (await listDevices(d.pool, user.id)).map((x) => ({
          id: toPublicId('dev', x.id), label: x.label, current: x.id === session.device_id, createdAt: x.created_at.toISOString(), lastSeenAt: x.last_seen_at.toISOString(),
        })),
      };
    });

    app.delete('/v1/me/devices/:deviceId', {
      schema: { tags: ['account'], summary: 'Forget a device', description: 'Its device credential stops working and its sessions end; signing in there needs a second factor again.', security, params: z.object({ deviceId: z.string().max(40) }), response: { 204: z.null(), ...errors } },
    }, async (req, reply) => {
      const id = fromPublicId('dev', req.params.deviceId);
      const ok = id && (await revokeDevice(d.pool, req.auth!.user.id, id, d.clock.now()));
      if (!ok) throw problem(identityErrors, 'not_found_device');
      return reply.code(204).send(null);
    });

    app.get('/v1/me/security-events', {
      schema: { tags: ['account'], summary: 'What happened to your account', security, querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }), response: { 200: eventsList, ...errors } },
    }, async (req) => ({
      events: (await listSecurityEvents(d.pool, req.auth!.user.id, req.query.limit)).map((e) => ({
        id: toPublicId('evt', e.id), kind: e.kind, ip: e.ip, createdAt: e.created_at.toISOString(), details: e.details,
      })),
    }));
  };
}
