/**
 * The risk engine as the flows call it (RISK-1): read the signals, decide with the pure
 * rules, log the decision, open a case for a hold. One instance, made by the composition
 * root with the configured policy.
 *
 * A step-up is settled here, not in each flow: when the session (or, at the till, the
 * device that showed the code) passed a second factor within `stepUpFreshMinutes`, the
 * answer is allow — the customer already proved it is them — and the log says so.
 *
 * Logging: every login, sign-up, card and top-up decision. Payments are ~1,000/s, so an
 * allowed payment is logged with probability `paymentAllowSample` (the console's charts
 * scale it back); every payment the engine stops is logged.
 */
import type pg from 'pg';
import type { Queryable } from '../db/pool.js';
import { withStatements } from '../db/tx.js';
import type { Logger } from '../shared/logger.js';
import { newUuid } from '../shared/ids.js';
import type { OpenCase } from './cases.js';
import { decide, type RiskDecision } from './decide.js';
import type { RiskPolicy } from './policy.js';
import { afterPayment, readAccounts, readAddress, toSignals, withEarlierInBatch } from './read.js';
import { insertDecisions, type AccountSignalsRow, type DecisionRow } from './repo.js';
import type { RiskOutcome } from './rules.js';
import type { RiskAction, RiskSignals } from './signals.js';

export interface RiskEngineDeps {
  /**
   * A pool of the engine's own, for two things done outside the caller's transaction:
   *
   * - Logging login, sign-up, card and top-up decisions: a decision is a fact even when
   *   the request it judged rolls back (a step-up frees the top-up's Idempotency-Key by
   *   rolling back; so does a network failure). Payments are logged in their batch's
   *   transaction (volume).
   * - Reading what a client address or install id has been doing across accounts. No lock
   *   orders those counts (two sign-ups from one address never waited for each other), so reading them
   *   in the caller's transaction promised nothing more; under SERIALIZABLE it made every
   *   concurrent top-up a read/write conflict with every other (the reads span sessions,
   *   cards and top-ups of all accounts), and 10 retries were not always enough (found by
   *   the top-up property test). The account's own signals are still read in the caller's
   *   transaction, after its row lock, so racing top-ups of one account see each other.
   *
   * Not the server's pool: the caller holds one of the server's connections in its
   * transaction while this waits for another, so with every connection held by such
   * transactions each would wait for the others (found by the chaos run, 8 connections
   * and 8 clients adding cards at once). Work on this pool only waits for itself.
   */
  readonly ownPool: pg.Pool;
  readonly policy: RiskPolicy;
  /** Share of allowed payments written to the decision log (0…1). */
  readonly paymentAllowSample: number;
  readonly random: () => number;
  readonly openCase: OpenCase;
  readonly logger: Logger;
}

/** What a flow acts on. `reasons` are for logs and cases, never for the customer's answer. */
export interface RiskVerdict {
  readonly decisionId: string;
  readonly outcome: RiskOutcome;
  readonly reasons: readonly string[];
  readonly signals: RiskSignals;
  /** A step-up the session's recent second factor already answered. */
  readonly steppedUp: boolean;
}

export interface AccountAsk {
  action: Extract<RiskAction, 'login' | 'card_add' | 'topup'>;
  userId: string;
  deviceId: string | null;
  ip: string | null;
  /**
   * The install id the client presented (src/shared/install-id.ts), or null: a risk
   * signal only, counted per install and never trusted as who the caller is.
   */
  installId?: string | null;
  amount: number;
  /** The card added or charged (its network fingerprint), for card testing and shared cards. */
  fingerprint: string | null;
  /**
   * When this session last passed a second factor; null at a password or external ID
   * login (the step-up is the login's own), the sign-in's own time for a passkey login.
   */
  secondFactorAt: Date | null;
  /**
   * At login: failed password attempts on the account before this one, since its last
   * successful sign-in (the login throttle's count, login-guard.ts). 0 when there was no
   * password (passkey, external ID) and for other actions.
   */
  loginFailures?: number;
  subjectId: string | null;
  now: Date;
}

export interface PaymentAsk {
  userId: string;
  deviceId: string;
  storeId: string;
  amount: number;
  categories: readonly string[];
}

const MINUTE = 60_000;

export class RiskEngine {
  constructor(private readonly d: RiskEngineDeps) {}

  get policy(): RiskPolicy {
    return this.d.policy;
  }

  private fresh(at: Date | null, now: Date): boolean {
    return !!at && now.getTime() - at.getTime() <= this.d.policy.stepUpFreshMinutes * MINUTE;
  }

  private verdict(decision: RiskDecision, secondFactorAt: Date | null, now: Date): RiskVerdict {
    const steppedUp = decision.outcome === 'step_up' && this.fresh(secondFactorAt, now);
    return {
      decisionId: newUuid(), outcome: steppedUp ? 'allow' : decision.outcome, steppedUp,
      reasons: decision.findings.map((f) => f.reason), signals: decision.signals,
    };
  }

  private row(v: RiskVerdict, userId: string | null, subjectId: string | null, now: Date): DecisionRow {
    return {
      id: v.decisionId, action: v.signals.action, user_id: userId, subject_id: subjectId, outcome: v.outcome,
      reasons: [...v.reasons], signals: { ...v.signals, steppedUp: v.steppedUp }, created_at: now,
    };
  }

  /** Login, card addition, top-up: read, decide, log. */
  async assessAccount(q: Queryable, ask: AccountAsk): Promise<RiskVerdict> {
    const p = this.d.policy;
    const [account] = await readAccounts(q, p, [{ userId: ask.userId, deviceId: ask.deviceId, storeId: null }], ask.now);
    const address = await withStatements(this.d.ownPool, (own) => readAddress(own, p, { ip: ask.ip, installId: ask.installId ?? null, userId: ask.userId, fingerprint: ask.fingerprint }, ask.now));
    const signals = toSignals({ action: ask.action, amount: ask.amount, account, address, loginFailures: ask.loginFailures ?? 0, now: ask.now });
    const v = this.verdict(decide(signals, p), ask.secondFactorAt, ask.now);
    await insertDecisions(this.d.ownPool, [this.row(v, ask.userId, ask.subjectId, ask.now)]);
    return v;
  }

  /** A sign-up, before the account is made (coupon farming from one install or address). */
  async assessSignup(ask: { ip: string | null; installId: string | null; now: Date }): Promise<RiskVerdict> {
    const address = await withStatements(this.d.ownPool, (own) => readAddress(own, this.d.policy, { ip: ask.ip, installId: ask.installId, userId: null, fingerprint: null }, ask.now));
    const v = this.verdict(decide(toSignals({ action: 'signup', amount: 0, address, now: ask.now }), this.d.policy), null, ask.now);
    await insertDecisions(this.d.ownPool, [this.row(v, null, null, ask.now)]);
    return v;
  }

  /**
   * A payment batch: one read for every payer, decisions in order. Nothing is logged here:
   * the batch logs only the payments that reached the risk check (`logPayments`).
   */
  async assessPayments(q: Queryable, asks: readonly PaymentAsk[], now: Date): Promise<RiskVerdict[]> {
    const p = this.d.policy;
    const rows = await readAccounts(q, p, asks.map((a) => ({ userId: a.userId, deviceId: a.deviceId, storeId: a.storeId })), now);
    // A payer's earlier payments in this batch, which the one read could not see.
    const earlier = new Map<string, AccountSignalsRow>();
    return asks.map((a, i) => {
      const read = rows[i];
      const account = read && withEarlierInBatch(read, earlier.get(a.userId));
      const signals = toSignals({ action: 'payment', amount: a.amount, categories: a.categories, account, now });
      const v = this.verdict(decide(signals, p), account?.device_second_factor_at ?? null, now);
      if (account && v.outcome === 'allow') earlier.set(a.userId, afterPayment(account, a.amount, now));
      return v;
    });
  }

  /** The log rows of a payment batch: every stop, a sample of the allows. One statement. */
  async logPayments(q: Queryable, judged: readonly { verdict: RiskVerdict; userId: string; subjectId: string }[], now: Date): Promise<void> {
    const rows = judged
      .filter(({ verdict }) => verdict.outcome !== 'allow' || this.d.random() < this.d.paymentAllowSample)
      .map(({ verdict, userId, subjectId }) => this.row(verdict, userId, subjectId, now));
    await insertDecisions(q, rows);
  }

  /** A hold becomes a case for an analyst, with the decision as its evidence. */
  async openHold(q: Queryable, v: RiskVerdict, userId: string, subject: { type: string; id: string } | null, now: Date): Promise<string> {
    const { caseId } = await this.d.openCase(q, {
      kind: 'risk_hold', userId, subject, reasons: v.reasons, evidence: { decision: v.decisionId, signals: v.signals }, now,
    });
    this.d.logger.info({ case: caseId, reasons: v.reasons, action: v.signals.action }, 'risk hold: case opened');
    return caseId;
  }
}
