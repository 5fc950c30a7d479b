/** The signed-in customer's external identities: list and unlink (linking is callback.ts). */
import { withTransaction } from '../../db/tx.js';
import type { Authenticated, ClientInfo } from '../sessions.js';
import type { OidcDeps } from './flows.js';
import { deleteLink, listForUser } from './repo.js';

export interface ProviderLink {
  name: string;
  label: string;
  linked: { email: string | null; linkedAt: Date; lastUsedAt: Date | null } | null;
}

/** Every configured provider, with the account's identity there if linked. */
export async function listLinks(d: OidcDeps, userId: string): Promise<ProviderLink[]> {
  const rows = await listForUser(d.pool, userId);
  return d.oidc.providers.map((p) => {
    const row = rows.find((r) => r.provider === p.name);
    return { name: p.name, label: p.label, linked: row ? { email: row.email, linkedAt: row.created_at, lastUsedAt: row.last_used_at } : null };
  });
}

/** Removes the link (a sign-in method: privileged, and told like a factor removal). */
export async function unlink(d: OidcDeps, auth: Authenticated, provider: string, client: ClientInfo): Promise<'unlinked' | 'not_found'> {
  const now = d.clock.now();
  return withTransaction(d.pool, async (q) => {
    if (!(await deleteLink(q, auth.user.id, provider))) return 'not_found' as const;
    const label = d.oidc.provider(provider)?.label ?? provider;
    await d.events.record(q, auth.user, 'external_identity_unlinked', { ip: client.ip, deviceId: auth.session.device_id, now }, {
      details: { provider },
      detail: auth.user.locale === 'ja' ? `${label} / IP: ${client.ip ?? '-'} / 日時: ${now.toISOString()}` : `${label} · IP: ${client.ip ?? '-'} · ${now.toISOString()}`,
    });
    return 'unlinked' as const;
  });
}
