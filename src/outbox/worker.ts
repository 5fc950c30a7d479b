/**
 * Drains the outbox: claims due rows, delivers each through its topic's handler, and
 * records sent / retry-later / dead. Several workers (in several server processes) may
 * run at once; row claims keep them apart.
 */
import type pg from 'pg';
import type { Queryable } from '../db/pool.js';
import { withStatements } from '../db/tx.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { backoffMs, DeliveryError, type Outbox } from './outbox.js';
import { claimDue, markDead, markRetry, markSent, type OutboxRow } from './repo.js';

export interface WorkerOptions {
  pool: pg.Pool;
  outbox: Outbox;
  clock: Clock;
  logger: Logger;
  pollMs: number;
  batchSize: number;
  leaseMs: number;
}

export class OutboxWorker {
  readonly #o: WorkerOptions;
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  /** Set by nudge() during a batch, so the loop looks again at once instead of sleeping. */
  #nudged = false;

  constructor(opts: WorkerOptions) {
    this.#o = opts;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Finishes the batch in hand, then stops. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
  }

  /** Asks the worker to look now rather than at the next poll. */
  nudge(): void {
    this.#nudged = true;
    this.#wake?.();
  }

  /** Claims and delivers one batch; returns how many rows it handled. */
  async runOnce(): Promise<number> {
    const { clock, leaseMs, batchSize, outbox, logger } = this.#o;
    const rows = await this.#write((c) => claimDue(c, clock.now(), leaseMs, batchSize));
    const sent: OutboxRow[] = [];
    const singles: OutboxRow[] = [];
    for (const group of byTopic(rows)) {
      const handler = outbox.handler(group[0]!.topic);
      if (handler?.deliverMany && group.length > 1) {
        try {
          await handler.deliverMany(group.map((r) => ({ payload: r.payload, ctx: { id: r.id, attempt: r.attempts } })));
          sent.push(...group);
          continue;
        } catch (err) {
          logger.warn({ err, topic: group[0]!.topic, rows: group.length }, 'outbox batch delivery failed; delivering one by one');
        }
      }
      singles.push(...group);
    }
    await Promise.all(singles.map(async (row) => {
      if (await this.#deliver(row)) sent.push(row);
    }));
    // Apart from delivering: failing to record deliveries is not a failed delivery. If this
    // throws, the rows stay claimed and come back when their lease ends (at least once).
    if (sent.length) await this.#write((c) => markSent(c, sent.map((r) => ({ id: r.id, attempt: r.attempts })), clock.now()));
    return rows.length;
  }

  async #run(): Promise<void> {
    while (this.#running) {
      let handled = 0;
      this.#nudged = false;
      try {
        handled = await this.runOnce();
      } catch (err) {
        // Database unreachable or restarting: keep polling, the rows are safe in the table.
        this.#o.logger.warn({ err }, 'outbox poll failed');
      }
      if (handled < this.#o.batchSize && this.#running && !this.#nudged) await this.#sleep(this.#o.pollMs);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.#wake = done;
    });
  }

  /**
   * Runs one outbox statement (atomic on its own), retried on serialization failures
   * (SERIALIZABLE, distributed engines) instead of failing the batch: a claim racing
   * another worker's claim, or a lost "sent" turning into a duplicate delivery.
   */
  #write<T>(fn: (c: Queryable) => Promise<T>): Promise<T> {
    return withStatements(this.#o.pool, fn);
  }

  /** Delivers one row; true when it was delivered (the caller records it sent). */
  async #deliver(row: OutboxRow): Promise<boolean> {
    const { clock, logger, outbox } = this.#o;
    const handler = outbox.handler(row.topic);
    const log = logger.child({ outboxId: row.id, topic: row.topic, attempt: row.attempts });
    if (!handler) {
      await this.#write((c) => markDead(c, row.id, row.attempts, clock.now(), 'no handler for topic'));
      log.error('outbox row has no handler; marked dead');
      return false;
    }
    try {
      await handler.deliver(row.payload, { id: row.id, attempt: row.attempts });
    } catch (err) {
      const permanent = err instanceof DeliveryError && err.permanent;
      const message = err instanceof Error ? err.message.slice(0, 500) : 'delivery failed';
      if (permanent || row.attempts >= row.max_attempts) {
        await this.#write((c) => markDead(c, row.id, row.attempts, clock.now(), message));
        log.error({ err, permanent }, 'outbox delivery abandoned');
      } else {
        const at = new Date(clock.now().getTime() + backoffMs(handler.retry, row.attempts));
        await this.#write((c) => markRetry(c, row.id, row.attempts, at, message));
        log.warn({ err, retryAt: at }, 'outbox delivery failed; will retry');
      }
      return false;
    }
    log.debug('outbox delivered');
    return true;
  }
}

/** The rows of each topic together, in the order claimed. */
function byTopic(rows: readonly OutboxRow[]): OutboxRow[][] {
  const groups = new Map<string, OutboxRow[]>();
  for (const r of rows) {
    const group = groups.get(r.topic);
    if (group) group.push(r);
    else groups.set(r.topic, [r]);
  }
  return [...groups.values()];
}
