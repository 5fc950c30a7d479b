/**
 * The risk engine behind the payment batch's port (src/payments/risk.ts). Per batch:
 * one read of every payer's signals, then after judging one insert into the decision log,
 * a case per hold and a notice per stopped payment (rare, so one by one is fine).
 */
import type { Queryable } from '../db/pool.js';
import type { Notifier } from '../notify/notifier.js';
import type { JudgedPayment, PaymentRisk } from '../payments/risk.js';
import type { RiskEngine, RiskVerdict } from './engine.js';
import { tellDeclined } from './notices.js';
import { contactsOf } from './repo.js';

export function enginePaymentRisk(engine: RiskEngine, notifier: Notifier): PaymentRisk<RiskVerdict> {
  return {
    assessMany: (q, inputs, now) => engine.assessPayments(q, inputs, now),
    async record(q: Queryable, judged: readonly JudgedPayment<RiskVerdict>[], now: Date) {
      await engine.logPayments(q, judged.map((j) => ({ verdict: j.verdict, userId: j.input.userId, subjectId: j.subject.id })), now);
      const stopped = judged.filter((j) => j.verdict.outcome !== 'allow');
      if (stopped.length === 0) return;
      for (const j of stopped) {
        if (j.verdict.outcome === 'hold') await engine.openHold(q, j.verdict, j.input.userId, j.subject, now);
      }
      // A held payment's case tells the customer; the others are told here.
      const told = stopped.filter((j) => j.verdict.outcome !== 'hold');
      const contacts = await contactsOf(q, [...new Set(told.map((j) => j.input.userId))]);
      await tellDeclined(q, notifier, told.flatMap((j) => {
        const c = contacts.get(j.input.userId);
        return c ? [{ ...c, amount: j.input.amount, store: j.storeName, outcome: j.verdict.outcome === 'deny' ? 'deny' as const : 'step_up' as const }] : [];
      }));
    },
  };
}
