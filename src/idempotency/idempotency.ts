/**
 * Idempotent execution of money-moving requests (WAL-2), after Stripe's rules: the first
 * answer for a key is kept 24 h and replayed for retries with the same request; the same
 * key with a different request is refused; a retry arriving while the first is still
 * running is told to come back.
 *
 * The key is claimed in a transaction of its own; the answer is recorded inside the
 * business transaction, so a crash leaves either the movement and its answer, or
 * neither (and the claim is taken over once its lock lapses).
 */
import type pg from 'pg';
import type { PoolClient } from '../db/pool.js';
import { withStatements, withTransaction } from '../db/tx.js';
import type { Clock } from '../shared/clock.js';
import { sha256 } from '../shared/crypto.js';
import { newUuid } from '../shared/ids.js';
import { claimKey, claimKeysHere, completeKey, completeKeys, findKeys, holdClaim, releaseKey, type KeyRef } from './repo.js';

export const REPLAY_WINDOW_MS = 24 * 3_600_000;
/**
 * How long a started request holds its key before a retry may take it over. Short,
 * because fencing makes a takeover safe (a request whose claim was taken changes
 * nothing) and because a server killed mid-request leaves its claim behind: until the
 * lock lapses, the till's retries are told "in progress" (409). `npm run chaos` found
 * tills giving up on refunds and cancellations behind a 60-second lock.
 */
export const LOCK_MS = 10_000;

export interface Answer {
  status: number;
  body: unknown;
}

export type IdempotentResult =
  | ({ kind: 'fresh' } & Answer)
  | ({ kind: 'replayed' } & Answer)
  | { kind: 'key_reused' }
  | { kind: 'in_progress' };

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` are the same request. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function requestDigest(method: string, route: string, body: unknown): Buffer {
  return sha256(`${method.toUpperCase()} ${route}\n${canonicalJson(body ?? null)}`);
}

/** A request of a batch run in one business transaction: its key and the digest of what it asks. */
export interface BatchRequest extends KeyRef {
  digest: Buffer;
}

export type BatchClaim = { kind: 'claimed' } | Exclude<IdempotentResult, { kind: 'fresh' }>;

const refKey = (r: KeyRef) => `${r.scope}\u0000${r.key}`;

export class Idempotency {
  constructor(private readonly pool: pg.Pool, private readonly clock: Clock) {}

  async execute(scope: string, key: string, digest: Buffer, fn: (q: PoolClient) => Promise<Answer>): Promise<IdempotentResult> {
    const now = this.clock.now();
    const claimId = newUuid();
    // The claim commits on its own (its statements need no transaction around them).
    const { claimed, row } = await withStatements(this.pool, (q) =>
      claimKey(q, { scope, key, digest, claimId, now, lockMs: LOCK_MS, windowMs: REPLAY_WINDOW_MS }));
    if (!claimed) {
      if (!row.request_digest.equals(digest)) return { kind: 'key_reused' };
      if (row.state === 'started') return { kind: 'in_progress' };
      return { kind: 'replayed', status: row.response_status!, body: row.response_body };
    }
    try {
      const answer = await withTransaction(this.pool, async (q) => {
        // Fenced: a request whose claim was taken over must change nothing.
        if (!(await holdClaim(q, scope, key, claimId))) return undefined;
        const a = await fn(q);
        await completeKey(q, scope, key, a.status, a.body);
        return a;
      });
      return answer ? { kind: 'fresh', ...answer } : { kind: 'in_progress' };
    } catch (err) {
      // Nothing was committed: free the key so the client's retry runs the request again.
      await releaseKey(this.pool, scope, key, claimId).catch(() => {});
      throw err;
    }
  }

  /**
   * For requests run together in one business transaction (the payment batcher): claims
   * their keys in that transaction, so each request's effect and answer commit with its
   * claim or not at all, and no claim can lapse while its request runs. A key given twice
   * in one batch is a concurrent duplicate: the later copy is `in_progress`.
   */
  async claimHere(q: PoolClient, requests: readonly BatchRequest[]): Promise<BatchClaim[]> {
    const now = this.clock.now();
    const firsts = new Map<string, BatchRequest>();
    for (const r of requests) if (!firsts.has(refKey(r))) firsts.set(refKey(r), r);
    const held = new Set((await claimKeysHere(q, [...firsts.values()], { claimId: newUuid(), now, lockMs: LOCK_MS, windowMs: REPLAY_WINDOW_MS })).map(refKey));
    const others = [...firsts.values()].filter((r) => !held.has(refKey(r)));
    const rows = new Map((others.length ? await findKeys(q, others) : []).map((row) => [refKey(row), row]));
    const given = new Set<string>();
    return requests.map((r): BatchClaim => {
      const k = refKey(r);
      if (given.has(k)) return { kind: 'in_progress' };
      given.add(k);
      if (held.has(k)) return { kind: 'claimed' };
      const row = rows.get(k);
      // Gone between the two statements (released by a failed holder): the client's retry claims it.
      if (!row) return { kind: 'in_progress' };
      if (!row.request_digest.equals(r.digest)) return { kind: 'key_reused' };
      if (row.state === 'started') return { kind: 'in_progress' };
      return { kind: 'replayed', status: row.response_status!, body: row.response_body };
    });
  }

  /** Records the answers of the requests `claimHere` claimed, in the same transaction. */
  async completeHere(q: PoolClient, done: readonly (KeyRef & { answer: Answer })[]): Promise<void> {
    if (done.length) await completeKeys(q, done.map((d) => ({ scope: d.scope, key: d.key, status: d.answer.status, body: d.answer.body })));
  }
}
