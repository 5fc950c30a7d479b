/**
 * A job every server runs on a timer (the ledger's expiry sweep, the top-up
 * reconciliation, the auth-flow sweep): one round at a time (a round still running
 * skips the tick), the timer never keeps the process alive, and `stop` waits for the
 * round in flight so shutdown closes the pool only after it.
 */
import type { Logger } from './logger.js';

export class IntervalJob<R> {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;

  constructor(private readonly o: {
    name: string;
    everyMs: number;
    run: () => Promise<R>;
    logger: Logger;
    /** What a finished round is worth logging, if anything. */
    report?: (result: R) => Record<string, unknown> | undefined;
  }) {}

  start(): void {
    if (this.#timer || this.o.everyMs <= 0) return;
    this.#timer = setInterval(() => {
      if (this.#running) return;
      this.#running = this.o.run()
        .then((r) => {
          const fields = this.o.report?.(r);
          if (fields) this.o.logger.info(fields, `${this.o.name} done`);
        })
        .catch((err: unknown) => this.o.logger.warn({ err }, `${this.o.name} failed`))
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
