/** The orchestrator's end of the load generator's IPC (bench/load/main.ts). */
import type { CardSetupJob, CardSetupResult, IntervalStats, Job, PaymentsJob, PhaseResult, Reply, Request } from '../load/protocol.js';
import { startLoadGenerator, type Child } from './processes.js';

interface Pending {
  resolve: (r: unknown) => void;
  reject: (e: Error) => void;
  onInterval?: (s: IntervalStats) => void;
}

/** A payments job running with interval reports: its result, and a way to give it more codes. */
export interface Stream {
  done: Promise<PhaseResult>;
  moreCodes(codes: string[]): void;
}

export class LoadGenerator {
  #next = 1;
  readonly #pending = new Map<number, Pending>();

  private constructor(readonly child: Child) {
    child.process.on('message', (m: Reply | { ready: true }) => {
      if ('ready' in m) return;
      const p = this.#pending.get(m.id);
      if (!p) return;
      if ('interval' in m) {
        p.onInterval?.(m.interval);
        return;
      }
      this.#pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(`load generator: ${m.error}`));
    });
    child.process.on('exit', (code) => {
      for (const p of this.#pending.values()) p.reject(new Error(`load generator exited (${code})`));
      this.#pending.clear();
    });
  }

  static async start(env: NodeJS.ProcessEnv, logFile: string): Promise<LoadGenerator> {
    const child = startLoadGenerator(env, logFile);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`load generator did not start; see ${logFile}`)), 60_000);
      child.process.once('message', () => {
        clearTimeout(timer);
        resolve();
      });
      child.process.once('exit', (code) => reject(new Error(`load generator exited (${code}) while starting; see ${logFile}`)));
    });
    return new LoadGenerator(child);
  }

  run(job: CardSetupJob): Promise<CardSetupResult>;
  run(job: Exclude<Job, CardSetupJob>): Promise<PhaseResult>;
  run(job: Job): Promise<unknown> {
    return this.#send(this.#next++, job);
  }

  /** A payments job with `intervalMs`: `onInterval` hears each interval as it ends. */
  stream(job: PaymentsJob & { intervalMs: number }, onInterval: (s: IntervalStats) => void): Stream {
    const id = this.#next++;
    return {
      done: this.#send(id, job, onInterval) as Promise<PhaseResult>,
      moreCodes: (codes) => this.child.process.send({ id, moreCodes: codes } satisfies Request),
    };
  }

  #send(id: number, job: Job, onInterval?: (s: IntervalStats) => void): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, onInterval });
      this.child.process.send({ id, job } satisfies Request);
    });
  }
}
