/**
 * Chargebacks and webhook delivery, run by `tick()` (a timer in the running simulator,
 * called directly by tests). A due chargeback is booked and its webhook queued in one
 * transaction; delivery happens after commit, so a crash can only repeat a delivery,
 * never lose one (receivers deduplicate by event id).
 */
import { withTransaction } from '../db/tx.js';
import type { CardnetDeps } from './deps.js';
import { newCardnetUuid, toCardnetId } from './ids.js';
import { paymentView } from './payments.js';
import { dueChargebacks, insertOperation, updatePayment } from './repo/payments.js';
import { dueWebhooks, insertWebhook, markWebhook } from './repo/webhooks.js';
import { requestDigest } from './payments.js';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature.js';

const BATCH = 50;
const RETRY_MS = [10_000, 60_000, 300_000, 1_800_000, 3_600_000];

/** Books every chargeback that is due; returns how many. */
export async function bookDueChargebacks(deps: CardnetDeps): Promise<number> {
  return withTransaction(deps.pool, async (tx) => {
    const now = deps.clock.now();
    const due = await dueChargebacks(tx, now, BATCH);
    for (const p of due) {
      const amount = p.captured - p.refunded;
      const reference = `cb_${p.id.replace(/-/g, '')}`;
      await updatePayment(tx, p.id, { status: 'charged_back', captured: p.captured, refunded: p.refunded, chargebackDueAt: null, at: now });
      await insertOperation(tx, { reference, requestDigest: requestDigest('chargeback', [p.id]), paymentId: p.id, kind: 'chargeback', amount, createdAt: now });
      const eventId = newCardnetUuid();
      const body = JSON.stringify({
        id: `evt_${eventId.replace(/-/g, '')}`, type: 'payment.charged_back', createdAt: now.toISOString(),
        data: { payment: { ...paymentView({ ...p, status: 'charged_back' }), id: toCardnetId('pi', p.id) }, chargeback: { reference, amount, reason: 'fraudulent' } },
      });
      await insertWebhook(tx, { id: eventId, eventType: 'payment.charged_back', body, at: now });
    }
    return due.length;
  });
}

/** Posts due webhooks; returns how many were acknowledged (2xx). */
export async function deliverWebhooks(deps: CardnetDeps): Promise<number> {
  const url = deps.webhook.url;
  if (!url) return 0;
  return withTransaction(deps.pool, async (tx) => {
    const now = deps.clock.now();
    let delivered = 0;
    for (const w of await dueWebhooks(tx, now, BATCH)) {
      const ok = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signWebhook(deps.webhook.secret, w.body, now) },
        body: w.body,
        signal: AbortSignal.timeout(10_000),
      }).then((r) => r.ok, () => false);
      if (ok) delivered++;
      else deps.logger.warn({ webhook: w.id, attempts: w.attempts + 1 }, 'cardnet webhook not acknowledged; will retry');
      const delay = RETRY_MS[Math.min(w.attempts, RETRY_MS.length - 1)]!;
      await markWebhook(tx, w.id, { delivered: ok, at: now, nextAttemptAt: new Date(now.getTime() + delay) });
    }
    return delivered;
  }, { maxAttempts: 1 });
}
