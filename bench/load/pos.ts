/**
 * Signed POS payments (docs/pos-api.md): every request has its own one-time code, a fresh
 * nonce and timestamp, its own Idempotency-Key and order id, and is signed with the
 * terminal's secret by the documented scheme (`stringToSign` from src/pos/signing.ts,
 * HMAC-SHA256 with node:crypto, the same bytes the browser-safe client signs).
 */
import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';
import { stringToSign } from '../../src/pos/signing.js';
import { call, failed, msSince, nowNs, poolFor, runPhase, type Outcome } from './http.js';
import { PAYMENT_AMOUNT_YEN, type IntervalStats, type PaymentsJob, type PhaseResult } from './protocol.js';

const PATH = '/pos/v1/payments';
const CATEGORIES = [['food'], ['food', 'drink'], ['drink'], ['daily_goods']] as const;

export function signedHeaders(keyId: string, secret: string, method: string, path: string, body: string): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomBytes(16).toString('base64url');
  const bodySha256Hex = createHash('sha256').update(body).digest('hex');
  const signature = createHmac('sha256', secret).update(stringToSign({ method, path, timestamp, nonce, bodySha256Hex })).digest('hex');
  return { 'konpay-key-id': keyId, 'konpay-timestamp': timestamp, 'konpay-nonce': nonce, 'konpay-signature': `v1=${signature}` };
}

/** With `job.intervalMs`, `report` gets each interval's figures; `job.codes` may grow while it runs (`MoreCodes`). */
export async function runPayments(job: PaymentsJob, report: (s: IntervalStats) => void): Promise<PhaseResult> {
  const pool = poolFor(job.baseUrl, job.clients);
  let next = 0;
  const unit = async (k: number): Promise<Outcome | undefined> => {
    const i = next++;
    if (i >= job.codes.length) return undefined;
    const t = job.terminals.length === 1 ? job.terminals[0]! : job.terminals[randomInt(job.terminals.length)]!;
    const body = JSON.stringify({ code: job.codes[i], amount: PAYMENT_AMOUNT_YEN.min + randomInt(PAYMENT_AMOUNT_YEN.max - PAYMENT_AMOUNT_YEN.min + 1), orderId: `${job.tag}-${k}`, categories: CATEGORIES[k % CATEGORIES.length] });
    const headers = { ...signedHeaders(t.keyId, t.secret, 'POST', PATH, body), 'content-type': 'application/json', 'idempotency-key': `bench-${job.tag}-${k}` };
    const t0 = nowNs();
    try {
      const r = await call(pool, { method: 'POST', path: PATH, headers, body });
      const ms = msSince(t0);
      if (r.status !== 201) return { ok: false, ms, status: String(r.status), sample: r.text };
      const id = (JSON.parse(r.text) as { id?: unknown; status?: unknown }).id;
      if (typeof id !== 'string') return { ok: false, ms, status: '201-without-id', sample: r.text };
      return { ok: true, ms, status: '201', id };
    } catch (err) {
      return failed(t0, err);
    }
  };
  const intervals = job.intervalMs ? { ms: job.intervalMs, report } : undefined;
  const { extraSeries: _, ...r } = await runPhase(job.clients, job.durationMs, unit, job.ratePerSecond, intervals);
  return r;
}
