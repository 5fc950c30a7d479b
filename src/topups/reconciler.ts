/**
 * The reconciliation job every server runs: cancels top-ups whose challenge window has
 * passed (voiding their pending credit) and looks into top-ups in flight — a lost answer
 * from the card network, a server that died mid-charge — by asking the network what it
 * did. Leases keep two servers off the same top-up; the fixed references make even a
 * double look harmless.
 */
import { withTransaction } from '../db/tx.js';
import { IntervalJob } from '../shared/interval-job.js';
import { cancel, reconcile } from './advance.js';
import type { TopupsDeps } from './deps.js';
import { leaseDueChecks, listLapsedChallenges } from './repo.js';

const BATCH = 50;
/** Long enough for one look at the network (its timeout) to finish before another server may try. */
const LEASE_MS = 120_000;

export class TopupReconciler {
  readonly #job: IntervalJob<{ canceled: number; checked: number }>;

  constructor(private readonly deps: TopupsDeps, everyMs: number) {
    this.#job = new IntervalJob({
      name: 'top-up reconciliation', everyMs, logger: deps.logger, run: () => this.runOnce(),
      report: (r) => (r.canceled || r.checked ? r : undefined),
    });
  }

  /** One round; returns how many top-ups were canceled and how many looked into. */
  async runOnce(): Promise<{ canceled: number; checked: number }> {
    const lapsed = await listLapsedChallenges(this.deps.pool, this.deps.clock.now(), BATCH);
    for (const t of lapsed) await cancel(this.deps, t.id, 'challenge_expired');
    const now = this.deps.clock.now();
    const due = await withTransaction(this.deps.pool, (q) => leaseDueChecks(q, now, new Date(now.getTime() + LEASE_MS), BATCH));
    for (const t of due) await reconcile(this.deps, t);
    return { canceled: lapsed.length, checked: due.length };
  }

  start(): void {
    this.#job.start();
  }

  stop(): Promise<void> {
    return this.#job.stop();
  }
}
