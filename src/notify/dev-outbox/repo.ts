/** SQL for the development outbox. */
import type { Queryable } from '../../db/pool.js';
import type { Channel } from '../port.js';

export interface DevMessage {
  id: string;
  channel: Channel;
  recipient: string;
  subject: string | null;
  body: string;
  meta: Record<string, unknown>;
  createdAt: Date;
}

export async function insertDevMessage(q: Queryable, m: DevMessage): Promise<void> {
  await q.query(
    `INSERT INTO dev_outbox_messages (id, channel, recipient, subject, body, meta, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
    [m.id, m.channel, m.recipient, m.subject, m.body, JSON.stringify(m.meta), m.createdAt],
  );
}

export interface DevMessageFilter {
  recipient?: string | undefined;
  channel?: Channel | undefined;
  limit: number;
}

export async function listDevMessages(q: Queryable, f: DevMessageFilter): Promise<DevMessage[]> {
  const res = await q.query<{
    id: string; channel: Channel; recipient: string; subject: string | null; body: string;
    meta: Record<string, unknown>; created_at: Date;
  }>(
    `SELECT id, channel, recipient, subject, body, meta, created_at FROM dev_outbox_messages
      WHERE ($1::text IS NULL OR lower(recipient) = lower($1)) AND ($2::text IS NULL OR channel = $2)
      ORDER BY created_at DESC, id DESC LIMIT $3`,
    [f.recipient ?? null, f.channel ?? null, f.limit],
  );
  return res.rows.map((r) => ({
    id: r.id, channel: r.channel, recipient: r.recipient, subject: r.subject, body: r.body, meta: r.meta, createdAt: r.created_at,
  }));
}
