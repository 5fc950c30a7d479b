/**
 * Judging a signed POS request (PAY-2). Cheap checks first (headers, clock), then the
 * terminal and its signature, then whether it may act, and only then the nonce: a
 * request that does not prove the secret never touches the nonce table, so an attacker
 * cannot burn the nonces a terminal is about to use.
 */
import { createHmac } from 'node:crypto';
import type pg from 'pg';
import { findTerminalChain, type TerminalChainRow } from '../merchants/repo.js';
import { terminalSecretAad } from '../merchants/service.js';
import type { Clock } from '../shared/clock.js';
import { safeEqual, sha256, unseal } from '../shared/crypto.js';
import type { PosErrorCode } from './errors.js';
import { recordNonce } from './repo.js';
import { NONCE_PATTERN, SIGNATURE_PATTERN, TIMESTAMP_PATTERN, stringToSign } from './signing.js';

export interface PosAuthDeps {
  pool: pg.Pool;
  clock: Clock;
  /** The server's encryption key, which seals terminal secrets. */
  encryptionKey: Buffer;
  /** How far a request's timestamp may be from the server clock (SPEC PAY-2: at most 300). */
  clockSkewSeconds: number;
}

/** The terminal behind a verified request; database ids, like `req.auth`'s rows. */
export interface TerminalIdentity {
  id: string;
  storeId: string;
  merchantId: string;
  keyId: string;
  /** As read with the signature check, for receipts and descriptions. */
  storeName: string;
}

export interface SignedRequestParts {
  method: string;
  /** Path and query as received in the request line. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
}

export type Verdict = { kind: 'ok'; terminal: TerminalIdentity } | { kind: 'refused'; code: PosErrorCode };

const refused = (code: PosErrorCode): Verdict => ({ kind: 'refused', code });

function header(h: SignedRequestParts['headers'], name: string): string | undefined {
  const v = h[name];
  // Node joins a repeated header with ", ", which none of the patterns below accepts.
  return typeof v === 'string' ? v : undefined;
}

export async function verifySignedRequest(deps: PosAuthDeps, req: SignedRequestParts): Promise<Verdict> {
  const keyId = header(req.headers, 'konpay-key-id');
  const timestamp = header(req.headers, 'konpay-timestamp');
  const nonce = header(req.headers, 'konpay-nonce');
  const signature = header(req.headers, 'konpay-signature');
  if (!keyId || !timestamp || !nonce || !signature) return refused('pos_signature_missing');
  const sent = SIGNATURE_PATTERN.exec(signature)?.[1];
  if (!TIMESTAMP_PATTERN.test(timestamp) || !NONCE_PATTERN.test(nonce) || !sent || keyId.length > 200) return refused('pos_signature_malformed');

  const now = deps.clock.now();
  if (Math.abs(Math.floor(now.getTime() / 1000) - Number(timestamp)) > deps.clockSkewSeconds) return refused('pos_timestamp_out_of_range');

  const row = await findTerminalChain(deps.pool, { keyId });
  if (!row) return refused('pos_key_unknown');
  const expected = createHmac('sha256', unseal(deps.encryptionKey, row.secret_sealed, terminalSecretAad(row.id)))
    .update(stringToSign({ method: req.method, path: req.url, timestamp, nonce, bodySha256Hex: sha256(req.rawBody).toString('hex') }))
    .digest();
  if (!safeEqual(Buffer.from(sent, 'hex'), expected)) return refused('pos_signature_invalid');

  const barred = standing(row);
  if (barred) return refused(barred);

  // Kept while the signed timestamp could still pass: up to `skew` after it was seen, plus
  // `skew` for a timestamp set ahead of our clock.
  const pruneBefore = new Date(now.getTime() - 2 * deps.clockSkewSeconds * 1000);
  if (!(await recordNonce(deps.pool, row.id, nonce, now, pruneBefore))) return refused('pos_nonce_reused');
  return { kind: 'ok', terminal: { id: row.id, storeId: row.store_id, merchantId: row.merchant_id, keyId: row.key_id, storeName: row.store_name } };
}

/** Why a correctly signed terminal may still not act; the narrowest reason first. */
function standing(row: TerminalChainRow): PosErrorCode | undefined {
  if (row.status === 'revoked') return 'pos_terminal_revoked';
  if (row.status === 'suspended') return 'pos_terminal_suspended';
  if (row.store_status === 'suspended') return 'pos_store_suspended';
  if (row.merchant_status === 'suspended') return 'pos_merchant_suspended';
  return undefined;
}
