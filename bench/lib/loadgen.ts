/** The orchestrator's end of the load generator's IPC (bench/load/main.ts). */
import type { CardSetupJob, CardSetupResult, Job, PhaseResult, Reply } from '../load/protocol.js';
import { startLoadGenerator, type Child } from './processes.js';

export class LoadGenerator {
  #next = 1;
  readonly #pending = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void }>();

  private constructor(readonly child: Child) {
    child.process.on('message', (m: Reply | { ready: true }) => {
      if ('ready' in m) return;
      const p = this.#pending.get(m.id);
      if (!p) return;
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
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.child.process.send({ id, job });
    });
  }
}
