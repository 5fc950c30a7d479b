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

export const FLOW_GRACE_MS = 86_400_000;

export class FlowSweeper {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;

  constructor(private readonly o: { pool: pg.Pool; clock: Clock; logger: Logger; everyMs: number; batch?: number }) {}

  /** Deletes one batch; returns how many flows went. */
  runOnce(): Promise<number> {
    const before = new Date(this.o.clock.now().getTime() - FLOW_GRACE_MS);
    return withTransaction(this.o.pool, (q) => deleteExpiredFlows(q, before, this.o.batch ?? 1000));
  }

  start(): void {
    if (this.#timer || this.o.everyMs <= 0) return;
    this.#timer = setInterval(() => {
      if (this.#running) return;
      this.#running = this.runOnce()
        .then((n) => { if (n > 0) this.o.logger.info({ deleted: n }, 'expired auth flows deleted'); })
        .catch((err: unknown) => this.o.logger.warn({ err }, 'auth flow sweep failed'))
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
