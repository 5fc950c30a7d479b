/**
 * Gathers concurrent requests into batches, adaptively (DESIGN.md, Ledger): nothing waits
 * on a timer. A request arriving when a lane is free runs at once with whatever arrived
 * in the same turn of the event loop; requests arriving while every lane is busy gather
 * and run together when one frees. An idle server adds no latency; a busy one pays each
 * database round trip once for everyone waiting.
 *
 * One bad item never fails its neighbours: when a batch of several fails, each of its
 * items runs again on its own, and only the one that fails alone gets the error.
 */
export interface BatcherOptions {
  /** Largest batch. */
  maxBatch: number;
  /** Batches that may run at the same time (each holds a database connection). */
  lanes: number;
}

interface Waiting<I, O> {
  item: I;
  resolve: (o: O) => void;
  reject: (err: unknown) => void;
}

export class Batcher<I, O> {
  readonly #run: (items: I[]) => Promise<O[]>;
  readonly #opts: BatcherOptions;
  #queue: Waiting<I, O>[] = [];
  #running = 0;
  #scheduled = false;
  /** Batches run and items in them, for the operator's metrics and the tests. */
  readonly stats = { batches: 0, items: 0, largest: 0, split: 0 };

  /** `run` answers one output per item, in order. */
  constructor(run: (items: I[]) => Promise<O[]>, opts: BatcherOptions) {
    if (!(opts.maxBatch >= 1 && opts.lanes >= 1)) throw new Error('Batcher: maxBatch and lanes must be at least 1');
    this.#run = run;
    this.#opts = opts;
  }

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#schedule();
    });
  }

  /** After the current turn: requests read from other sockets in this turn join the batch. */
  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#running < this.#opts.lanes && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#opts.maxBatch);
      this.#running++;
      this.stats.batches++;
      this.stats.items += batch.length;
      this.stats.largest = Math.max(this.stats.largest, batch.length);
      void this.#settle(batch).finally(() => {
        this.#running--;
        this.#pump();
      });
    }
  }

  async #settle(batch: Waiting<I, O>[]): Promise<void> {
    try {
      const outs = await this.#run(batch.map((w) => w.item));
      if (outs.length !== batch.length) throw new Error(`Batcher: ${outs.length} answers for ${batch.length} items`);
      batch.forEach((w, i) => w.resolve(outs[i]!));
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      this.stats.split++;
      // One after another, on this lane's connection budget: a failed batch is rare.
      for (const w of batch) await this.#settle([w]);
    }
  }
}
