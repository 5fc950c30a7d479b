/** A customer's detail as the console's contract shows it: public ids, ISO times. */
import type { z } from 'zod';
import { toPublicId } from '../../shared/ids.js';
import type { CustomerDetail } from './customers.js';
import type { customerDetailSchema } from './schemas.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function detailView(x: CustomerDetail): Omit<z.infer<typeof customerDetailSchema>, 'pendingUnfreeze' | 'pendingLimitChanges'> {
  const { user } = x;
  return {
    profile: {
      id: toPublicId('usr', user.id), email: user.email, phone: user.phone, locale: user.locale, createdAt: user.created_at.toISOString(),
      frozenAt: iso(user.frozen_at), frozenReason: user.frozen_reason, restrictedUntil: x.restricted ? iso(user.restricted_until) : null,
      mustResetPassword: user.must_reset_password,
    },
    wallet: { currency: 'JPY', ...x.wallet },
    devices: x.devices.map((v) => ({ id: toPublicId('dev', v.id), label: v.label, createdAt: v.created_at.toISOString(), lastSeenAt: v.last_seen_at.toISOString() })),
    sessions: x.sessions.map((s) => ({
      id: toPublicId('ses', s.id), transport: s.transport, deviceId: s.device_id ? toPublicId('dev', s.device_id) : null,
      createdAt: s.created_at.toISOString(), lastSeenAt: s.last_seen_at.toISOString(), expiresAt: s.expires_at.toISOString(), ip: s.ip, userAgent: s.user_agent,
    })),
    events: x.events.map((e) => ({ id: toPublicId('evt', e.id), kind: e.kind, ip: e.ip, createdAt: e.created_at.toISOString(), details: e.details })),
    movements: x.movements,
    limitOverride: { ...x.limitOverride },
  };
}
