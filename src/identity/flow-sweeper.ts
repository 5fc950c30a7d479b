/**
 * Deletes sign-up, login, recovery and freeze-link flows a day after they expired, with
 * their code challenges. Nothing reads a lapsed flow (a link or code past its expiry is
 * just invalid); the day's grace leaves recent ones for support to look at. Every server
 * runs one; SKIP LOCKED keeps them apart.
 */
import type pg from 'pg';
import { withTransaction } from '../db/tx.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { deleteExpiredFlows } from './repo/flows.js';
import { IntervalJob } from '../shared/interval-job.js';

export const FLOW_GRACE_MS = 86_400_000;

export class FlowSweeper {
  readonly #job: IntervalJob<number>;

  constructor(private readonly o: { pool: pg.Pool; clock: Clock; logger: Logger; everyMs: number; batch?: number }) {
    this.#job = new IntervalJob({
      name: 'auth flow sweep', everyMs: o.everyMs, logger: o.logger, run: () => this.runOnce(),
      report: (deleted) => (deleted > 0 ? { deleted } : undefined),
    });
  }

  /** Deletes one batch; returns how many flows went. */
  runOnce(): Promise<number> {
    const before = new Date(this.o.clock.now().getTime() - FLOW_GRACE_MS);
    return withTransaction(this.o.pool, (q) => deleteExpiredFlows(q, before, this.o.batch ?? 1000));
  }

  start(): void {
    this.#job.start();
  }

  stop(): Promise<void> {
    return this.#job.stop();
  }
}
