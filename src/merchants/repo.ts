/** SQL for merchants, stores and terminals. Ids here are the database UUIDs. */
import type { Queryable } from '../db/pool.js';

export type PartyStatus = 'active' | 'suspended';
export type TerminalStatus = 'active' | 'suspended' | 'revoked';

export interface MerchantRow { id: string; name: string; status: PartyStatus; created_at: Date }
export interface StoreRow { id: string; merchant_id: string; name: string; status: PartyStatus; created_at: Date }

/** A terminal with its store and merchant: what a signed request is judged by. */
export interface TerminalChainRow {
  id: string;
  key_id: string;
  secret_sealed: string;
  status: TerminalStatus;
  store_id: string;
  store_name: string;
  store_status: PartyStatus;
  merchant_id: string;
  merchant_name: string;
  merchant_status: PartyStatus;
}

export async function insertMerchant(q: Queryable, m: { id: string; name: string; now: Date }): Promise<MerchantRow> {
  return (await q.query<MerchantRow>(
    `INSERT INTO merchants (id, name, created_at) VALUES ($1, $2, $3) RETURNING *`,
    [m.id, m.name, m.now],
  )).rows[0]!;
}

/** Inserts the store when its merchant exists; undefined otherwise. */
export async function insertStore(q: Queryable, s: { id: string; merchantId: string; name: string; now: Date; location?: { latitude: number; longitude: number } | undefined }): Promise<StoreRow | undefined> {
  return (await q.query<StoreRow>(
    `INSERT INTO stores (id, merchant_id, name, created_at, latitude, longitude) SELECT $1, id, $3, $4, $5, $6 FROM merchants WHERE id = $2 RETURNING *`,
    [s.id, s.merchantId, s.name, s.now, s.location?.latitude ?? null, s.location?.longitude ?? null],
  )).rows[0];
}

/** Inserts the terminal when its store exists; false otherwise. */
export async function insertTerminal(q: Queryable, t: { id: string; storeId: string; keyId: string; secretSealed: string; now: Date }): Promise<boolean> {
  const res = await q.query(
    `INSERT INTO terminals (id, store_id, key_id, secret_sealed, created_at) SELECT $1, id, $3, $4, $5 FROM stores WHERE id = $2`,
    [t.id, t.storeId, t.keyId, t.secretSealed, t.now],
  );
  return res.rowCount === 1;
}

export async function findTerminalChain(q: Queryable, where: { keyId: string } | { id: string }): Promise<TerminalChainRow | undefined> {
  const [column, value] = 'keyId' in where ? ['t.key_id', where.keyId] : ['t.id', where.id];
  return (await q.query<TerminalChainRow>(
    `SELECT t.id, t.key_id, t.secret_sealed, t.status,
            s.id AS store_id, s.name AS store_name, s.status AS store_status,
            m.id AS merchant_id, m.name AS merchant_name, m.status AS merchant_status
       FROM terminals t JOIN stores s ON s.id = t.store_id JOIN merchants m ON m.id = s.merchant_id
      WHERE ${column} = $1`,
    [value],
  )).rows[0];
}

/** `findTerminalChain` by key id for several requests at once (the signed requests of one moment). */
export async function findTerminalChains(q: Queryable, keyIds: readonly string[]): Promise<TerminalChainRow[]> {
  return (await q.query<TerminalChainRow>({
    name: 'terminals.chains-by-key',
    text: `SELECT t.id, t.key_id, t.secret_sealed, t.status,
                  s.id AS store_id, s.name AS store_name, s.status AS store_status,
                  m.id AS merchant_id, m.name AS merchant_name, m.status AS merchant_status
             FROM terminals t JOIN stores s ON s.id = t.store_id JOIN merchants m ON m.id = s.merchant_id
            WHERE t.key_id = ANY($1::text[])`,
    values: [keyIds],
  })).rows;
}

export type TerminalUpdate = { kind: 'updated'; keyId: string } | { kind: 'not_found' } | { kind: 'revoked' };

/**
 * Replaces the sealed secret of a terminal that is not revoked. One statement: the old
 * secret stops working the moment it commits.
 */
export async function replaceTerminalSecret(q: Queryable, id: string, secretSealed: string, now: Date): Promise<TerminalUpdate> {
  const res = await q.query<{ key_id: string }>(
    `UPDATE terminals SET secret_sealed = $2, rotated_at = $3 WHERE id = $1 AND status <> 'revoked' RETURNING key_id`,
    [id, secretSealed, now],
  );
  return res.rows[0] ? { kind: 'updated', keyId: res.rows[0].key_id } : terminalMiss(q, id);
}

/** Suspends or resumes a terminal that is not revoked (revocation is final). */
export async function setTerminalStatus(q: Queryable, id: string, status: PartyStatus): Promise<TerminalUpdate> {
  const res = await q.query<{ key_id: string }>(
    `UPDATE terminals SET status = $2 WHERE id = $1 AND status <> 'revoked' RETURNING key_id`,
    [id, status],
  );
  return res.rows[0] ? { kind: 'updated', keyId: res.rows[0].key_id } : terminalMiss(q, id);
}

/** Revokes a terminal; a second revocation keeps the first time. */
export async function revokeTerminalRow(q: Queryable, id: string, now: Date): Promise<TerminalUpdate> {
  const res = await q.query<{ key_id: string }>(
    `UPDATE terminals SET status = 'revoked', revoked_at = coalesce(revoked_at, $2) WHERE id = $1 RETURNING key_id`,
    [id, now],
  );
  return res.rows[0] ? { kind: 'updated', keyId: res.rows[0].key_id } : { kind: 'not_found' };
}

async function terminalMiss(q: Queryable, id: string): Promise<TerminalUpdate> {
  const r = await q.query(`SELECT 1 FROM terminals WHERE id = $1`, [id]);
  return r.rowCount === 1 ? { kind: 'revoked' } : { kind: 'not_found' };
}

/** Sets a store's or merchant's status; false when there is no such row. */
export async function setPartyStatus(q: Queryable, table: 'stores' | 'merchants', id: string, status: PartyStatus): Promise<boolean> {
  const res = await q.query(`UPDATE ${table} SET status = $2 WHERE id = $1`, [id, status]);
  return res.rowCount === 1;
}

/** Sets where a store is (the risk engine's impossible-travel rule reads it); false when there is no such store. */
export async function updateStoreLocation(q: Queryable, id: string, location: { latitude: number; longitude: number }): Promise<boolean> {
  const res = await q.query(`UPDATE stores SET latitude = $2, longitude = $3 WHERE id = $1`, [id, location.latitude, location.longitude]);
  return res.rowCount === 1;
}

/** A terminal as operators see it: never its sealed secret. */
export interface TerminalListRow {
  id: string;
  store_id: string;
  key_id: string;
  status: TerminalStatus;
  created_at: Date;
  rotated_at: Date | null;
  revoked_at: Date | null;
}

export async function findMerchant(q: Queryable, id: string): Promise<MerchantRow | undefined> {
  return (await q.query<MerchantRow>(`SELECT * FROM merchants WHERE id = $1`, [id])).rows[0];
}

/** A merchant's stores and their terminals, oldest first; one round trip each. */
export async function listStoresAndTerminals(q: Queryable, merchantId: string): Promise<{ stores: StoreRow[]; terminals: TerminalListRow[] }> {
  const stores = await q.query<StoreRow>(`SELECT * FROM stores WHERE merchant_id = $1 ORDER BY created_at, id`, [merchantId]);
  const terminals = await q.query<TerminalListRow>(
    `SELECT t.id, t.store_id, t.key_id, t.status, t.created_at, t.rotated_at, t.revoked_at
       FROM terminals t JOIN stores s ON s.id = t.store_id
      WHERE s.merchant_id = $1 ORDER BY t.created_at, t.id`,
    [merchantId],
  );
  return { stores: stores.rows, terminals: terminals.rows };
}
