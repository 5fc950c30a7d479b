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
import { IntervalJob } from '../../shared/interval-job.js';

export class PendingSweeper {
  readonly #job: IntervalJob<number>;

  constructor(private readonly o: { pool: pg.Pool; clock: Clock; logger: Logger; everyMs: number; batch?: number }) {
    this.#job = new IntervalJob({
      name: 'pending sweep', everyMs: o.everyMs, logger: o.logger, run: () => this.runOnce(),
      report: (voided) => (voided > 0 ? { voided } : undefined),
    });
  }

  /** Voids one batch of expired holds; returns how many. */
  runOnce(): Promise<number> {
    return withTransaction(this.o.pool, (q) => voidExpired(q, this.o.clock.now(), this.o.batch ?? 200, newUuid));
  }

  start(): void {
    this.#job.start();
  }

  stop(): Promise<void> {
    return this.#job.stop();
  }
}
