/**
 * Webhook endpoints of a merchant, managed by operators. The signing secret is made
 * here, answered once and kept only sealed; lost, the merchant gets a new endpoint.
 */
import { seal, randomToken } from '../shared/crypto.js';
import { fromPublicId, newUuid, toPublicId, type PrefixedId } from '../shared/ids.js';
import { isPrivateHost } from './address.js';
import { endpointSecretAad, type WebhookDeps } from './deps.js';
import { disableEndpointRow, insertEndpoint, listEndpointRows, merchantExists, rotateEndpointSecretRow, type EndpointRow, type EndpointStatus } from './repo.js';

export type NotFound = { kind: 'not_found' };
const NOT_FOUND: NotFound = { kind: 'not_found' };

export interface EndpointView {
  id: PrefixedId<'whe'>;
  merchantId: PrefixedId<'mer'>;
  url: string;
  status: EndpointStatus;
  createdAt: Date;
  disabledAt: Date | null;
}

const view = (r: EndpointRow): EndpointView => ({
  id: toPublicId('whe', r.id), merchantId: toPublicId('mer', r.merchant_id), url: r.url, status: r.status, createdAt: r.created_at, disabledAt: r.disabled_at,
});

/**
 * Why a URL is refused, or undefined. Credentials in a URL would end up in logs and
 * screens; plain http is for development only; in production an address of our own
 * network is refused at once (and at every connection, address.ts).
 */
export function urlProblem(raw: string, httpsOnly: boolean, publicOnly = false): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && !httpsOnly)) return httpsOnly ? 'must be https://' : 'must be http:// or https://';
  if (url.username || url.password) return 'must not carry a user name or password';
  if (url.hash) return 'must not have a #fragment';
  if (publicOnly && isPrivateHost(url.hostname)) return 'must not point to a private address or localhost';
  if (raw.length > 2048) return 'is longer than 2048 characters';
  return undefined;
}

export async function addEndpoint(
  deps: Pick<WebhookDeps, 'pool' | 'clock' | 'encryptionKey' | 'httpsOnly' | 'publicOnly'>, input: { merchantId: string; url: string },
): Promise<{ kind: 'created'; endpoint: EndpointView; secret: string } | NotFound | { kind: 'url_refused'; reason: string }> {
  const merchantId = fromPublicId('mer', input.merchantId);
  if (!merchantId) return NOT_FOUND;
  const reason = urlProblem(input.url, deps.httpsOnly, deps.publicOnly);
  if (reason) return { kind: 'url_refused', reason };
  const id = newUuid();
  const secret = randomToken('whsec', 32);
  const row = await insertEndpoint(deps.pool, {
    id, merchantId, url: input.url, secretSealed: seal(deps.encryptionKey, secret, endpointSecretAad(id)), now: deps.clock.now(),
  });
  return row ? { kind: 'created', endpoint: view(row), secret } : NOT_FOUND;
}

/** How long the old secret signs next to the new one unless the operator says otherwise. */
export const DEFAULT_OVERLAP_HOURS = 24;

/**
 * A new signing secret for an active endpoint, answered once like the first. The old one
 * keeps signing beside it for `overlapHours` (0: stops at once, for a leaked secret), so
 * the merchant can switch over with no refused delivery.
 */
export async function rotateSecret(
  deps: Pick<WebhookDeps, 'pool' | 'clock' | 'encryptionKey'>, input: { merchantId: string; endpointId: string; overlapHours: number },
): Promise<{ kind: 'rotated'; endpoint: EndpointView; secret: string; previousValidUntil: Date } | NotFound> {
  const merchantId = fromPublicId('mer', input.merchantId);
  const id = fromPublicId('whe', input.endpointId);
  if (!merchantId || !id) return NOT_FOUND;
  const secret = randomToken('whsec', 32);
  const overlapUntil = new Date(deps.clock.now().getTime() + input.overlapHours * 3_600_000);
  const row = await rotateEndpointSecretRow(deps.pool, {
    merchantId, id, secretSealed: seal(deps.encryptionKey, secret, endpointSecretAad(id)), overlapUntil,
  });
  return row ? { kind: 'rotated', endpoint: view(row), secret, previousValidUntil: overlapUntil } : NOT_FOUND;
}

/** Stops deliveries to the endpoint, including those already queued. */
export async function disableEndpoint(
  deps: Pick<WebhookDeps, 'pool' | 'clock'>, input: { merchantId: string; endpointId: string },
): Promise<{ kind: 'disabled'; endpoint: EndpointView } | NotFound> {
  const merchantId = fromPublicId('mer', input.merchantId);
  const id = fromPublicId('whe', input.endpointId);
  if (!merchantId || !id) return NOT_FOUND;
  const row = await disableEndpointRow(deps.pool, merchantId, id, deps.clock.now());
  return row ? { kind: 'disabled', endpoint: view(row) } : NOT_FOUND;
}

export async function listEndpoints(deps: Pick<WebhookDeps, 'pool'>, merchant: string): Promise<{ kind: 'found'; endpoints: EndpointView[] } | NotFound> {
  const merchantId = fromPublicId('mer', merchant);
  if (!merchantId || !(await merchantExists(deps.pool, merchantId))) return NOT_FOUND;
  return { kind: 'found', endpoints: (await listEndpointRows(deps.pool, merchantId)).map(view) };
}
