/**
 * The audit log's hash chain (OPS-2), as pure functions so the writer, the verifier and
 * the tests share one definition.
 *
 * A row's hash is SHA-256 (hex) over the UTF-8 bytes of its canonical encoding: JSON
 * with the keys sorted at every depth and no white space, of
 *
 *     { action, at, ids, outcome, prev_hash, seq, who }
 *
 * where `at` is ISO 8601 in UTC with milliseconds (`2026-01-05T00:00:00.000Z`), `seq` a
 * JSON number, `ids` an object of strings (keys with no value left out) and `prev_hash`
 * the previous row's hash in hex, or 64 zeros for row 1. For example row 1 of
 *
 *     { seq: 1, at: 2026-01-05T00:00:00Z, who: 'cli:ana', action: 'switch.off', ids: { feature: 'payments' }, outcome: 'changed' }
 *
 * is hashed over
 *
 *     {"action":"switch.off","at":"2026-01-05T00:00:00.000Z","ids":{"feature":"payments"},"outcome":"changed","prev_hash":"000…000","seq":1,"who":"cli:ana"}
 *
 * Anyone can recompute it with `jq -cS` and `sha256sum`. Each row's hash covers the one
 * before it, so changing, deleting, inserting or reordering a row breaks every link after
 * it — unless the attacker rewrites the whole tail, which is why `audit verify` prints the
 * head's hash: copy it somewhere the database's writers cannot reach (a ticket, a
 * daily report) and a rewritten history no longer ends in it.
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export type AuditIds = Readonly<Record<string, string>>;

/** What a caller says; the log adds seq, time and the links. */
export interface AuditEntry {
  readonly who: string;
  readonly action: string;
  readonly ids: Readonly<Record<string, string | undefined>>;
  readonly outcome: string;
}

export interface AuditRecord {
  readonly seq: number;
  readonly at: Date;
  readonly who: string;
  readonly action: string;
  readonly ids: AuditIds;
  readonly outcome: string;
  readonly prevHash: string;
  readonly hash: string;
}

/** NUL and lone surrogates, which PostgreSQL's jsonb refuses. */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Keys with no value are left out, so `{ storeId: undefined }` and `{}` hash alike.
 * Characters jsonb cannot store (ids come from URLs, where anything may be sent) become
 * U+FFFD before hashing, so the row hashes as it is stored.
 */
export function cleanIds(ids: AuditEntry['ids']): AuditIds {
  const out: Record<string, string> = {};
  for (const k of Object.keys(ids).sort()) {
    const v = ids[k];
    if (v !== undefined) out[k.replace(UNSTORABLE, '\ufffd')] = v.replace(UNSTORABLE, '\ufffd');
  }
  return out;
}

/** The same for the text columns: PostgreSQL text refuses NUL too. */
export const storable = (s: string): string => s.replace(UNSTORABLE, '\ufffd');

/** JSON with sorted keys at every depth and no white space. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export function canonicalEncoding(r: Omit<AuditRecord, 'hash'>): string {
  return canonicalJson({ action: r.action, at: r.at.toISOString(), ids: r.ids, outcome: r.outcome, prev_hash: r.prevHash, seq: r.seq, who: r.who });
}

export function hashRecord(r: Omit<AuditRecord, 'hash'>): string {
  return createHash('sha256').update(canonicalEncoding(r), 'utf8').digest('hex');
}

/** The row that follows `prev` (seq and hash of the head) with this entry. */
export function nextRecord(prev: { seq: number; hash: string }, e: AuditEntry, at: Date): AuditRecord {
  const body = { seq: prev.seq + 1, at, who: storable(e.who), action: storable(e.action), ids: cleanIds(e.ids), outcome: storable(e.outcome), prevHash: prev.hash };
  return { ...body, hash: hashRecord(body) };
}
