/**
 * A short-lived in-process copy of terminals' rows (with their store and merchant), by
 * key id. Every signed POS request needs its terminal's row, and nearly every request
 * comes from a terminal this server saw a moment ago: remembering the row for a second
 * takes one database round trip off most requests.
 *
 * The trade-off, POS_TERMINAL_CACHE_MS: a row is served from memory for up to `ttlMs`.
 * A terminal, store or merchant suspended or revoked, or a secret rotated, through
 * another process (the ops CLI, another server) is refused by this server only once its
 * copy expires, so within `ttlMs` of the change rather than at once. Changes made through
 * this process's merchants service drop the affected rows at once (`forget`, wired in
 * server.ts). Memory is trusted only to accept: verify.ts confirms every refusal made
 * from a remembered row against the database, so a resumed terminal or a new secret
 * works at once; and an unknown key id is never remembered, so a terminal registered a
 * moment ago works at once too.
 *
 * Rows are kept as read, the secret still sealed. Expiry reads the injected clock, so
 * tests can move time.
 */
import type { TerminalChainRow } from '../merchants/repo.js';
import type { TerminalChainChange } from '../merchants/service.js';
import type { Clock } from '../shared/clock.js';

export interface TerminalCacheOptions {
  load: (keyId: string) => Promise<TerminalChainRow | undefined>;
  clock: Clock;
  /** How long a row is served from memory; 0: never (every look-up reads the database). */
  ttlMs: number;
  /** Beyond this many rows the oldest is dropped, so a flood of key ids cannot grow memory. */
  maxEntries?: number;
}

interface Entry { row: TerminalChainRow; readAt: number }

export class TerminalCache {
  readonly #load: TerminalCacheOptions['load'];
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  /** In the order the rows were read: the first is the oldest. */
  readonly #entries = new Map<string, Entry>();
  /** Moved on by `forget`: a look-up that began before a change must not keep what it read. */
  #generation = 0;

  constructor(opts: TerminalCacheOptions) {
    this.#load = opts.load;
    this.#clock = opts.clock;
    this.#ttlMs = opts.ttlMs;
    this.#maxEntries = opts.maxEntries ?? 10_000;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The terminal's row; `remembered` when it came from memory, so a refusal made from it should be confirmed with `reload`. */
  async find(keyId: string): Promise<{ row: TerminalChainRow | undefined; remembered: boolean }> {
    const row = this.#fresh(keyId);
    return row ? { row, remembered: true } : { row: await this.reload(keyId), remembered: false };
  }

  /** Reads the row from the database, and remembers it when there is one. */
  async reload(keyId: string): Promise<TerminalChainRow | undefined> {
    const generation = this.#generation;
    const row = await this.#load(keyId);
    this.#entries.delete(keyId);
    if (row && this.#ttlMs > 0 && generation === this.#generation) this.#keep(keyId, row);
    return row;
  }

  /** Drops the rows a change affects: the terminal itself, or every terminal of the store or merchant. */
  forget(change: TerminalChainChange): void {
    this.#generation++;
    for (const [keyId, { row }] of this.#entries) {
      if (affects(change, row)) this.#entries.delete(keyId);
    }
  }

  #fresh(keyId: string): TerminalChainRow | undefined {
    const entry = this.#entries.get(keyId);
    if (!entry) return undefined;
    const age = this.#clock.now().getTime() - entry.readAt;
    // A clock set back (tests) does not stretch an entry's life.
    if (age >= 0 && age < this.#ttlMs) return entry.row;
    this.#entries.delete(keyId);
    return undefined;
  }

  #keep(keyId: string, row: TerminalChainRow): void {
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(keyId, { row, readAt: this.#clock.now().getTime() });
  }
}

function affects(change: TerminalChainChange, row: TerminalChainRow): boolean {
  if ('terminalId' in change) return row.id === change.terminalId;
  if ('storeId' in change) return row.store_id === change.storeId;
  return row.merchant_id === change.merchantId;
}
