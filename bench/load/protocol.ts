/** Jobs the orchestrator (bench/main.ts) sends the load generator (bench/load/main.ts), and their results. */
import type { LatencySummary } from '../lib/stats.js';

export interface TerminalCredential {
  keyId: string;
  secret: string;
}

/** Each payment's amount is drawn from this range (the soak checks the wallets can afford its payments). */
export const PAYMENT_AMOUNT_YEN = { min: 100, max: 1000 } as const;

export interface PaymentsJob {
  kind: 'payments';
  baseUrl: string;
  clients: number;
  /** One terminal for the hot-store scenario, every store's for the uniform one (picked at random per payment). */
  terminals: TerminalCredential[];
  /** One fresh code per payment; the phase ends early if they run out. */
  codes: string[];
  durationMs: number;
  /** Makes order ids and idempotency keys unique per phase. */
  tag: string;
  /** Requests started per second on a fixed schedule; absent: as fast as the clients go. */
  ratePerSecond?: number;
  /**
   * Report an `IntervalStats` every this many ms while the job runs (the soak); the job
   * also takes `MoreCodes` then, since a soak outlives a code's five minutes.
   */
  intervalMs?: number;
}

export interface LoginJob {
  kind: 'login';
  baseUrl: string;
  clients: number;
  users: { email: string; deviceCredential: string }[];
  password: string;
  durationMs: number;
}

export interface HistoryJob {
  kind: 'history';
  baseUrl: string;
  clients: number;
  token: string;
  durationMs: number;
  /** Pages followed by cursor before starting again at the newest. */
  depth: number;
  limit: number;
}

export interface CardSetupJob {
  kind: 'card_setup';
  baseUrl: string;
  cardnetUrl: string;
  clients: number;
  users: { i: number; token: string; holderPhone: string; cardNumber: string }[];
}

export interface CardTopupsJob {
  kind: 'card_topups';
  baseUrl: string;
  clients: number;
  users: { token: string; holderPhone: string; cardId: string }[];
  amount: number;
  durationMs: number;
  tag: string;
}

export type Job = PaymentsJob | LoginJob | HistoryJob | CardSetupJob | CardTopupsJob;

export interface PhaseResult {
  /** Requests (or whole flows) completed. */
  completed: number;
  /** Of those, the ones that did what they should (201 approved, 200 logged in, succeeded top-up…). */
  ok: number;
  errors: number;
  /** Answers by HTTP status (or `network`, `timeout`, a flow step's name). */
  statuses: Record<string, number>;
  /** A few error answers, for the log. */
  errorSamples: string[];
  /** From the first request to the last answer. */
  elapsedMs: number;
  latency: LatencySummary;
  /** The phase ran out of codes (or users) before its time was up. */
  exhausted: boolean;
  /** `pay_…` of every approved payment (payments phases only). */
  approvedIds?: string[];
  /** Extra figures of a scenario (SMS wait of card top-ups…). */
  extra?: Record<string, unknown>;
}

/** What a job did in one interval (by answer time), reported while it runs. */
export interface IntervalStats {
  /** The interval's length: the last one also holds the answers that came after the deadline. */
  ms: number;
  completed: number;
  ok: number;
  errors: number;
  latency: LatencySummary;
}

export interface CardSetupResult {
  cards: { i: number; cardId: string }[];
  failures: string[];
}

/** Codes added to the running payments job `id` (ignored once it has ended). */
export type MoreCodes = { id: number; moreCodes: string[] };
export type Request = { id: number; job: Job } | MoreCodes;
export type Reply =
  | { id: number; ok: true; result: PhaseResult | CardSetupResult }
  | { id: number; ok: false; error: string }
  | { id: number; interval: IntervalStats };
