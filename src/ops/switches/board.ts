/**
 * The switch board: each server process's in-memory copy of which features are off, so
 * every check on the hot path (each payment, top-up and sign-up) is a Set look-up, not a
 * database round trip.
 *
 * How a change reaches every process within the 2 seconds OPS-1 allows: each board polls
 * the switches' version counter every `everyMs` (500 ms by default: one primary-key read
 * per process per tick) and reloads the off-switches only when the counter moved. The
 * process that made the change refreshes at once (SwitchDeps.onChange). Polling rather
 * than LISTEN/NOTIFY: DESIGN.md keeps to what PostgreSQL-compatible distributed engines
 * run, and a poll cannot miss a notification across a reconnect. Worst case is one tick
 * plus one query, about half a second.
 *
 * When the database cannot be read the board keeps the last state it knew and says so in
 * the log (once, and again when it recovers): every feature it guards needs the database
 * anyway, so guessing "all off" or "all on" would gain nothing.
 */
import type { Queryable } from '../../db/pool.js';
import type { Logger } from '../../shared/logger.js';
import type { Feature, FeatureGate, PauseScope } from './features.js';
import { readOffSwitches, readVersion } from './repo.js';

export const DEFAULT_POLL_MS = 500;

const key = (feature: Feature, storeId?: string | null) => (storeId ? `${feature}:${storeId}` : feature);

export class SwitchBoard implements FeatureGate {
  #off: ReadonlySet<string> = new Set();
  /** The counter value the state in `#off` was read at; -1 before the first load. */
  #version = -1;
  #timer: NodeJS.Timeout | undefined;
  #round: Promise<void> | undefined;
  #failing = false;

  constructor(private readonly o: { pool: Queryable; logger: Logger; everyMs?: number }) {}

  paused(feature: Feature, storeId?: string): PauseScope | undefined {
    if (this.#off.has(feature)) return 'global';
    if (storeId !== undefined && this.#off.has(key(feature, storeId))) return 'store';
    return undefined;
  }

  /** The version the board's state was read at (tests, diagnostics). */
  get version(): number {
    return this.#version;
  }

  /** Reads the counter and, when it moved, the off-switches. Safe to call concurrently. */
  async refresh(): Promise<void> {
    if ((await readVersion(this.o.pool)) === this.#version) return;
    const state = await readOffSwitches(this.o.pool);
    // Two refreshes may overlap (a tick and a change made here): keep the newer reading.
    if (state.version <= this.#version) return;
    this.#version = state.version;
    this.#off = new Set(state.off.map((s) => key(s.feature, s.store_id)));
  }

  /** Polls until `stop`; the timer never keeps the process alive. Call after a first `refresh`. */
  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      this.#round ??= this.#tick().finally(() => { this.#round = undefined; });
    }, this.o.everyMs ?? DEFAULT_POLL_MS);
    this.#timer.unref();
  }

  /** Stops polling and waits for a round in flight, so the pool can close after it. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#round;
  }

  async #tick(): Promise<void> {
    try {
      await this.refresh();
      if (this.#failing) this.o.logger.info('kill switches readable again');
      this.#failing = false;
    } catch (err) {
      if (!this.#failing) this.o.logger.warn({ err }, 'kill switches could not be read; keeping the last known state');
      this.#failing = true;
    }
  }
}
