/**
 * Deletes sign-up, login, recovery and freeze-link flows a day after they expired, with
 * their code challenges. Nothing reads a lapsed flow (a link or code past its expiry is
 * just invalid); the day's grace leaves recent ones for support to look at. Also forgets
 * which accounts an install id signed in (RISK-1) once the pair has not been seen for
 * `INSTALL_RETENTION_MS`: the rules look back a day, analysts a few weeks, and a tracking
 * identifier is kept no longer. Every server runs one; SKIP LOCKED keeps them apart.
 */
import type pg from 'pg';
import { withTransaction } from '../db/tx.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { deleteExpiredFlows } from './repo/flows.js';
import { deleteStaleInstalls } from './repo/installs.js';
import { IntervalJob } from '../shared/interval-job.js';

export const FLOW_GRACE_MS = 86_400_000;
export const INSTALL_RETENTION_MS = 90 * 86_400_000;

export class FlowSweeper {
  readonly #job: IntervalJob<number>;

  constructor(private readonly o: { pool: pg.Pool; clock: Clock; logger: Logger; everyMs: number; batch?: number }) {
    this.#job = new IntervalJob({
      name: 'auth flow sweep', everyMs: o.everyMs, logger: o.logger, run: () => this.runOnce(),
      report: (deleted) => (deleted > 0 ? { deleted } : undefined),
    });
  }

  /** Deletes one batch of each; returns how many rows went (flows, then install pairs). */
  async runOnce(): Promise<number> {
    const now = this.o.clock.now().getTime();
    const batch = this.o.batch ?? 1000;
    const flows = await withTransaction(this.o.pool, (q) => deleteExpiredFlows(q, new Date(now - FLOW_GRACE_MS), batch));
    const installs = await withTransaction(this.o.pool, (q) => deleteStaleInstalls(q, new Date(now - INSTALL_RETENTION_MS), batch));
    return flows + installs;
  }

  start(): void {
    this.#job.start();
  }

  stop(): Promise<void> {
    return this.#job.stop();
  }
}
