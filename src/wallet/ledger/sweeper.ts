/**
 * Voids pending transfers past their expiry (a card top-up whose 3-D Secure was never
 * finished, a hold never captured), so reserved money returns to the wallet. Every server
 * runs one; SKIP LOCKED keeps them off each other's rows.
 */
import type pg from 'pg';
import { withTransaction } from '../../db/tx.js';
import type { Clock } from '../../shared/clock.js';
import { newUuid } from '../../shared/ids.js';
import type { Logger } from '../../shared/logger.js';
import { voidExpired } from './ledger.js';

export class PendingSweeper {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;

  constructor(private readonly o: { pool: pg.Pool; clock: Clock; logger: Logger; everyMs: number; batch?: number }) {}

  /** Voids one batch of expired holds; returns how many. */
  runOnce(): Promise<number> {
    return withTransaction(this.o.pool, (q) => voidExpired(q, this.o.clock.now(), this.o.batch ?? 200, newUuid));
  }

  start(): void {
    if (this.#timer || this.o.everyMs <= 0) return;
    this.#timer = setInterval(() => {
      if (this.#running) return; // the previous round is still going
      this.#running = this.runOnce()
        .then((n) => { if (n > 0) this.o.logger.info({ voided: n }, 'expired pending transfers voided'); })
        .catch((err: unknown) => this.o.logger.warn({ err }, 'pending sweep failed'))
        .finally(() => { this.#running = undefined; });
    }, this.o.everyMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }
}
