/**
 * Judging a signed POS request (PAY-2). Cheap checks first (headers, clock), then the
 * terminal and its signature, then whether it may act, and only then the nonce: a
 * request that does not prove the secret never touches the nonce table, so an attacker
 * cannot burn the nonces a terminal is about to use.
 *
 * Round trips, on the hot path: the terminal's row usually comes from a short-lived cache
 * (terminal-cache.ts, POS_TERMINAL_CACHE_MS; a row from memory may accept but never
 * refuses on its own), and the nonces of concurrent requests are recorded together, one
 * statement per batch. A busy server pays one shared round trip where it paid two per
 * request.
 */
import { createHmac } from 'node:crypto';
import type pg from 'pg';
import { findTerminalChains, type TerminalChainRow } from '../merchants/repo.js';
import { terminalSecretAad } from '../merchants/service.js';
import { Batcher } from '../shared/batcher.js';
import type { Clock } from '../shared/clock.js';
import { safeEqual, sha256, unseal } from '../shared/crypto.js';
import { newUuid } from '../shared/ids.js';
import type { PosErrorCode } from './errors.js';
import { recordNonces, type NonceUse } from './repo.js';
import { NONCE_PATTERN, SIGNATURE_PATTERN, TIMESTAMP_PATTERN, stringToSign } from './signing.js';
import { TerminalCache } from './terminal-cache.js';

export interface PosAuthDeps {
  pool: pg.Pool;
  clock: Clock;
  /** The server's encryption key, which seals terminal secrets. */
  encryptionKey: Buffer;
  /** How far a request's timestamp may be from the server clock (SPEC PAY-2: at most 300). */
  clockSkewSeconds: number;
  /** Terminals' rows, remembered briefly; one per server (`forget` is told of operator changes). */
  terminals: TerminalCache;
  /** Records the nonces of accepted requests, batched; one per server, so test servers share nothing. */
  nonces: Batcher<NonceUse, boolean>;
}

/**
 * Two lanes: one batch can be in flight while the next gathers, and each holds a pool
 * connection only for one short statement. 256 bounds the arrays sent.
 */
const LOOKUP_BATCH = { lanes: 2, maxBatch: 256 } as const;

/** The deps of a server's signed POS routes, with their own cache and batcher. */
export function makePosAuthDeps(base: Omit<PosAuthDeps, 'terminals' | 'nonces'> & { terminalCacheMs: number }): PosAuthDeps {
  const { terminalCacheMs, ...rest } = base;
  // Look-ups of one moment share a statement: with many tills each row outlives its cache time.
  const chains = new Batcher(async (keyIds: string[]) => {
    const rows = new Map((await findTerminalChains(base.pool, [...new Set(keyIds)])).map((r) => [r.key_id, r]));
    return keyIds.map((k) => rows.get(k));
  }, LOOKUP_BATCH);
  return {
    ...rest,
    terminals: new TerminalCache({ load: (keyId) => chains.submit(keyId), clock: base.clock, ttlMs: terminalCacheMs }),
    nonces: new Batcher((uses) => recordNonces(base.pool, uses), LOOKUP_BATCH),
  };
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

  const signed = { toSign: stringToSign({ method: req.method, path: req.url, timestamp, nonce, bodySha256Hex: sha256(req.rawBody).toString('hex') }), sent };
  const found = await deps.terminals.find(keyId);
  let judged = judge(deps, found.row, signed);
  // Memory is trusted only to accept: a remembered row may predate a rotation or a
  // resume, so a refusal is confirmed against the database (terminal-cache.ts).
  if (judged.kind === 'refused' && found.remembered) judged = judge(deps, await deps.terminals.reload(keyId), signed);
  if (judged.kind === 'refused') return judged;
  const { row } = judged;

  // Kept while the signed timestamp could still pass: up to `skew` after it was seen, plus
  // `skew` for a timestamp set ahead of our clock.
  const pruneBefore = new Date(now.getTime() - 2 * deps.clockSkewSeconds * 1000);
  if (!(await deps.nonces.submit({ terminalId: row.id, nonce, useId: newUuid(), seenAt: now, pruneBefore }))) return refused('pos_nonce_reused');
  return { kind: 'ok', terminal: { id: row.id, storeId: row.store_id, merchantId: row.merchant_id, keyId: row.key_id, storeName: row.store_name } };
}

/** The signature, then the standing: whether this row's terminal signed the request and may act. */
function judge(
  deps: PosAuthDeps, row: TerminalChainRow | undefined, signed: { toSign: string; sent: string },
): { kind: 'trusted'; row: TerminalChainRow } | { kind: 'refused'; code: PosErrorCode } {
  if (!row) return { kind: 'refused', code: 'pos_key_unknown' };
  const expected = createHmac('sha256', unseal(deps.encryptionKey, row.secret_sealed, terminalSecretAad(row.id))).update(signed.toSign).digest();
  if (!safeEqual(Buffer.from(signed.sent, 'hex'), expected)) return { kind: 'refused', code: 'pos_signature_invalid' };
  const barred = standing(row);
  return barred ? { kind: 'refused', code: barred } : { kind: 'trusted', row };
}

/** Why a correctly signed terminal may still not act; the narrowest reason first. */
function standing(row: TerminalChainRow): PosErrorCode | undefined {
  if (row.status === 'revoked') return 'pos_terminal_revoked';
  if (row.status === 'suspended') return 'pos_terminal_suspended';
  if (row.store_status === 'suspended') return 'pos_store_suspended';
  if (row.merchant_status === 'suspended') return 'pos_merchant_suspended';
  return undefined;
}
