/**
 * Progress of a long operator command on standard error: a bar redrawn in place on a
 * terminal, a plain line every few seconds otherwise (a log file or CI keeps readable
 * lines, not a thousand carriage returns). Standard output stays for the answer.
 *
 * Small enough not to need a dependency: a bar, a rate and an estimate.
 */
export interface ProgressSink {
  isTTY?: boolean | undefined;
  columns?: number | undefined;
  write(chunk: string): unknown;
}

export interface ProgressOptions {
  label: string;
  total: number;
  /** Already done when this process began (a resumed run): not counted in the rate. */
  doneBefore: number;
  now?: () => number;
  /** Without a terminal, a line at most this often. */
  plainEveryMs?: number;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h}h${String(m).padStart(2, '0')}m` : m ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export class Progress {
  readonly #out: ProgressSink;
  readonly #o: Required<ProgressOptions>;
  readonly #began: number;
  #lastPlain = -Infinity; // the first update prints at once
  #drawn = false;
  /** The count on the latest plain line, so the last one is not written twice. */
  #printed: number | undefined;

  constructor(out: ProgressSink, o: ProgressOptions) {
    this.#out = out;
    this.#o = { now: Date.now, plainEveryMs: 5_000, ...o };
    this.#began = this.#o.now();
  }

  /** The line for `done` of the total: `12,000/200,000 6% · 3,210/s · ETA 58s`. */
  line(done: number): string {
    const { total, doneBefore } = this.#o;
    const seconds = (this.#o.now() - this.#began) / 1000;
    const rate = seconds > 0 ? (done - doneBefore) / seconds : 0;
    const pct = total ? Math.min(100, Math.floor((done / total) * 100)) : 100;
    const eta = rate > 0 ? duration(Math.max(0, total - done) / rate) : '?';
    return `${this.#o.label} ${fmt(done)}/${fmt(total)} ${pct}% · ${fmt(rate)}/s · ETA ${eta}`;
  }

  update(done: number): void {
    if (this.#out.isTTY) {
      const text = this.line(done);
      const width = Math.max(10, Math.min(40, (this.#out.columns ?? 80) - text.length - 4));
      const filled = this.#o.total ? Math.round((Math.min(done, this.#o.total) / this.#o.total) * width) : width;
      this.#out.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${text}\x1b[K`);
      this.#drawn = true;
      return;
    }
    const now = this.#o.now();
    if (now - this.#lastPlain >= this.#o.plainEveryMs) {
      this.#lastPlain = now;
      this.#printed = done;
      this.#out.write(`${this.line(done)}\n`);
    }
  }

  /** Leaves the terminal on a fresh line, with the final figures. */
  finish(done: number): void {
    if (this.#out.isTTY) {
      this.update(done);
      if (this.#drawn) this.#out.write('\n');
    } else if (this.#printed !== done) {
      this.#out.write(`${this.line(done)}\n`);
    }
  }
}
