/**
 * Merchant, store and terminal use cases. Ids in and out are the public ones (`mer_…`,
 * `sto_…`, `trm_…`); a malformed id is simply `not_found`. Expected outcomes are values.
 *
 * A terminal's secret is made here, returned once and kept only sealed: whoever creates
 * or rotates a terminal must hand the secret to the till then, or rotate again.
 */
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/pool.js';
import type { Clock } from '../shared/clock.js';
import { randomToken, seal } from '../shared/crypto.js';
import { fromPublicId, newUuid, toPublicId, type PrefixedId } from '../shared/ids.js';
import {
  findMerchant, findTerminalChain, insertMerchant, insertStore, insertTerminal, listStoresAndTerminals, replaceTerminalSecret, revokeTerminalRow,
  setPartyStatus, updateStoreLocation, setTerminalStatus, type PartyStatus, type TerminalStatus, type TerminalUpdate,
} from './repo.js';

export interface MerchantDeps {
  pool: Queryable;
  clock: Clock;
  /** The server's encryption key (KONPAY_ENCRYPTION_KEY): terminal secrets are sealed under it. */
  encryptionKey: Buffer;
  /**
   * Told after a change that signed requests are judged by (a status, a rotated secret),
   * so this process's POS terminal cache (src/pos/terminal-cache.ts) drops the rows at
   * once. Other processes (the ops CLI, other servers) see it within the cache's lifetime.
   */
  onChainChange?: (change: TerminalChainChange) => void;
}

/** What changed, by database id: one terminal, or every terminal of a store or merchant. */
export type TerminalChainChange = { terminalId: string } | { storeId: string } | { merchantId: string };

export type NotFound = { kind: 'not_found' };
const NOT_FOUND: NotFound = { kind: 'not_found' };

/** Bytes of entropy in a terminal secret (256 bits, the HMAC-SHA256 key size). */
const SECRET_BYTES = 32;

/** The AAD a terminal's sealed secret is bound to: a sealed value copied to another row does not open. */
export const terminalSecretAad = (terminalUuid: string) => `terminal:${terminalUuid}`;

/** A new secret: `sk_` and 32 random bytes in base64url. The HMAC key is this whole string's UTF-8 bytes. */
const newSecret = () => randomToken('sk', SECRET_BYTES);
/** Key ids are public and stable across rotations; random rather than the terminal id so they say nothing. */
const newKeyId = () => `pk_${randomBytes(12).toString('hex')}`;

export async function createMerchant(deps: MerchantDeps, input: { name: string }): Promise<{ kind: 'created'; id: PrefixedId<'mer'> }> {
  const row = await insertMerchant(deps.pool, { id: newUuid(), name: input.name, now: deps.clock.now() });
  return { kind: 'created', id: toPublicId('mer', row.id) };
}

/** `location`: where the store is, for the risk engine's impossible-travel rule (optional: without it the rule is silent). */
export async function createStore(
  deps: MerchantDeps, input: { merchantId: string; name: string; location?: { latitude: number; longitude: number } | undefined },
): Promise<{ kind: 'created'; id: PrefixedId<'sto'> } | NotFound> {
  const merchant = fromPublicId('mer', input.merchantId);
  if (!merchant) return NOT_FOUND;
  const row = await insertStore(deps.pool, { id: newUuid(), merchantId: merchant, name: input.name, now: deps.clock.now(), location: input.location });
  return row ? { kind: 'created', id: toPublicId('sto', row.id) } : NOT_FOUND;
}

/**
 * Moves (or first places) a store: stores made without a location, or placed wrongly,
 * get one here. Not a terminal-chain change: signed requests are not judged by it.
 */
export async function setStoreLocation(deps: MerchantDeps, storeId: string, location: { latitude: number; longitude: number }): Promise<{ kind: 'updated' } | NotFound> {
  const store = fromPublicId('sto', storeId);
  if (!store) return NOT_FOUND;
  return (await updateStoreLocation(deps.pool, store, location)) ? { kind: 'updated' } : NOT_FOUND;
}

export interface IssuedTerminalSecret {
  terminalId: PrefixedId<'trm'>;
  keyId: string;
  /** Shown once; Konpay keeps it only sealed. */
  secret: string;
}

export async function createTerminal(deps: MerchantDeps, input: { storeId: string }): Promise<({ kind: 'created' } & IssuedTerminalSecret) | NotFound> {
  const store = fromPublicId('sto', input.storeId);
  if (!store) return NOT_FOUND;
  const id = newUuid();
  const secret = newSecret();
  const keyId = newKeyId();
  const created = await insertTerminal(deps.pool, {
    id, storeId: store, keyId, secretSealed: seal(deps.encryptionKey, secret, terminalSecretAad(id)), now: deps.clock.now(),
  });
  return created ? { kind: 'created', terminalId: toPublicId('trm', id), keyId, secret } : NOT_FOUND;
}

/**
 * A new secret for the terminal; the old one is refused from the moment this returns by
 * this process, and within POS_TERMINAL_CACHE_MS by every other server.
 */
export async function rotateTerminalSecret(deps: MerchantDeps, terminalId: string): Promise<({ kind: 'rotated' } & IssuedTerminalSecret) | NotFound | { kind: 'revoked' }> {
  const id = fromPublicId('trm', terminalId);
  if (!id) return NOT_FOUND;
  const secret = newSecret();
  const r = await replaceTerminalSecret(deps.pool, id, seal(deps.encryptionKey, secret, terminalSecretAad(id)), deps.clock.now());
  if (r.kind !== 'updated') return r;
  deps.onChainChange?.({ terminalId: id });
  return { kind: 'rotated', terminalId: toPublicId('trm', id), keyId: r.keyId, secret };
}

/** Revokes for good: a revoked terminal cannot be resumed or rotated; make a new one. */
export async function revokeTerminal(deps: MerchantDeps, terminalId: string): Promise<{ kind: 'revoked' } | NotFound> {
  const id = fromPublicId('trm', terminalId);
  if (!id) return NOT_FOUND;
  const r = await revokeTerminalRow(deps.pool, id, deps.clock.now());
  if (r.kind !== 'updated') return NOT_FOUND;
  deps.onChainChange?.({ terminalId: id });
  return { kind: 'revoked' };
}

export type StatusChange = { kind: 'updated' } | NotFound;

export const suspendTerminal = (deps: MerchantDeps, terminalId: string) => terminalStatus(deps, terminalId, 'suspended');
export const resumeTerminal = (deps: MerchantDeps, terminalId: string) => terminalStatus(deps, terminalId, 'active');

async function terminalStatus(deps: MerchantDeps, terminalId: string, status: PartyStatus): Promise<StatusChange | { kind: 'revoked' }> {
  const id = fromPublicId('trm', terminalId);
  if (!id) return NOT_FOUND;
  const r: TerminalUpdate = await setTerminalStatus(deps.pool, id, status);
  if (r.kind !== 'updated') return r;
  deps.onChainChange?.({ terminalId: id });
  return { kind: 'updated' };
}

export const suspendStore = (deps: MerchantDeps, storeId: string) => partyStatus(deps, 'sto', storeId, 'suspended');
export const resumeStore = (deps: MerchantDeps, storeId: string) => partyStatus(deps, 'sto', storeId, 'active');
export const suspendMerchant = (deps: MerchantDeps, merchantId: string) => partyStatus(deps, 'mer', merchantId, 'suspended');
export const resumeMerchant = (deps: MerchantDeps, merchantId: string) => partyStatus(deps, 'mer', merchantId, 'active');

async function partyStatus(deps: MerchantDeps, prefix: 'sto' | 'mer', publicId: string, status: PartyStatus): Promise<StatusChange> {
  const id = fromPublicId(prefix, publicId);
  if (!id) return NOT_FOUND;
  const found = await setPartyStatus(deps.pool, prefix === 'sto' ? 'stores' : 'merchants', id, status);
  if (!found) return NOT_FOUND;
  deps.onChainChange?.(prefix === 'sto' ? { storeId: id } : { merchantId: id });
  return { kind: 'updated' };
}

export interface TerminalProfile {
  id: PrefixedId<'trm'>;
  keyId: string;
  store: { id: PrefixedId<'sto'>; name: string };
  merchant: { id: PrefixedId<'mer'>; name: string };
}

/** Who a terminal is, for its sign-in page; by database id (as `req.terminal` carries it). */
export async function terminalProfile(q: Queryable, terminalUuid: string): Promise<({ kind: 'found' } & TerminalProfile) | NotFound> {
  const row = await findTerminalChain(q, { id: terminalUuid });
  if (!row) return NOT_FOUND;
  return {
    kind: 'found', id: toPublicId('trm', row.id), keyId: row.key_id,
    store: { id: toPublicId('sto', row.store_id), name: row.store_name },
    merchant: { id: toPublicId('mer', row.merchant_id), name: row.merchant_name },
  };
}

export interface TerminalSummary {
  id: PrefixedId<'trm'>;
  keyId: string;
  status: TerminalStatus;
  createdAt: Date;
  rotatedAt: Date | null;
  revokedAt: Date | null;
}

export interface MerchantOverview {
  merchant: { id: PrefixedId<'mer'>; name: string; status: PartyStatus; createdAt: Date };
  stores: { id: PrefixedId<'sto'>; name: string; status: PartyStatus; createdAt: Date; terminals: TerminalSummary[] }[];
}

/** A merchant with its stores and their terminals, for operators. Secrets are not read at all. */
export async function merchantOverview(deps: Pick<MerchantDeps, 'pool'>, merchantId: string): Promise<({ kind: 'found' } & MerchantOverview) | NotFound> {
  const id = fromPublicId('mer', merchantId);
  const merchant = id ? await findMerchant(deps.pool, id) : undefined;
  if (!merchant) return NOT_FOUND;
  const { stores, terminals } = await listStoresAndTerminals(deps.pool, merchant.id);
  return {
    kind: 'found',
    merchant: { id: toPublicId('mer', merchant.id), name: merchant.name, status: merchant.status, createdAt: merchant.created_at },
    stores: stores.map((s) => ({
      id: toPublicId('sto', s.id), name: s.name, status: s.status, createdAt: s.created_at,
      terminals: terminals.filter((t) => t.store_id === s.id).map((t) => ({
        id: toPublicId('trm', t.id), keyId: t.key_id, status: t.status, createdAt: t.created_at, rotatedAt: t.rotated_at, revokedAt: t.revoked_at,
      })),
    })),
  };
}
