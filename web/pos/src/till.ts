/**
 * The till's side of the signed POS API (docs/pos-api.md), with the browser-safe client
 * of src/pos/client.ts: every request signed afresh with the terminal's secret.
 *
 * A call that moves money is an `Attempt`: its Idempotency-Key (and a payment's order
 * number) are made once, when the cashier starts it, and sent unchanged on every retry.
 * So when an answer is lost (network down, a proxy's 5xx), retrying cannot charge twice:
 * the server answers the first result again.
 */
import { PosClient, send } from '../../../src/pos/client.js';
import type { CashReceipt, CashTopupBody, Payment, PaymentBody, Problem, RefundBody, Terminal } from './contract.js';

export interface Credentials {
  keyId: string;
  secret: string;
}

/** A refusal from the API: its problem document, whose `code` the screens explain. */
export class Refusal extends Error {
  constructor(readonly problem: Problem & Record<string, unknown>, readonly clockSkewSeconds: number | undefined) {
    super(problem.code);
  }
  get code(): string {
    return this.problem.code;
  }
}

/** No usable answer: the request may or may not have been carried out. */
export class NoAnswer extends Error {}

export interface Attempt<B> {
  readonly key: string;
  readonly body: B;
}

export function newAttempt<B>(body: B): Attempt<B> {
  return { key: crypto.randomUUID(), body };
}

/** The store's order number for a page sale: unique per attempt, readable on a receipt. */
export function newOrderId(now = new Date()): string {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '');
  return `POS-${day}-${crypto.randomUUID().slice(0, 8)}`;
}

/** How far this device's clock is from the server's (its Date header), in seconds. */
function skewOf(headers: Headers): number | undefined {
  const date = Date.parse(headers.get('date') ?? '');
  return Number.isNaN(date) ? undefined : Math.round((Date.now() - date) / 1000);
}

export class Till {
  readonly #client: PosClient;

  constructor(creds: Credentials) {
    this.#client = new PosClient({ baseUrl: location.origin, keyId: creds.keyId, secret: creds.secret });
  }

  async #call<T>(method: 'GET' | 'POST', path: string, body?: unknown, idempotencyKey?: string): Promise<T> {
    // Signing first, outside the network guard: a signing failure is not a lost answer.
    const prepared = await this.#client.prepare(method, path, body, idempotencyKey === undefined ? {} : { idempotencyKey });
    let res;
    try {
      res = await send(prepared);
    } catch {
      throw new NoAnswer('network');
    }
    const json = res.json as (Problem & Record<string, unknown>) | undefined;
    // A 5xx or a page that is not the API's (a proxy's error) says nothing of the outcome,
    // except `feature_paused`: Konpay's own word that nothing was done (a kill switch).
    const paused = res.status === 503 && json?.code === 'feature_paused';
    if ((res.status >= 500 && !paused) || json === undefined || typeof json !== 'object') throw new NoAnswer(`status ${res.status}`);
    if (res.status >= 400) throw new Refusal(json, skewOf(res.headers));
    return json as T;
  }

  /** A harmless signed request: proves the key id and secret, and names the store. */
  terminal(): Promise<Terminal> {
    return this.#call('GET', '/pos/v1/terminal');
  }

  pay(a: Attempt<PaymentBody>): Promise<Payment> {
    return this.#call('POST', '/pos/v1/payments', a.body, a.key);
  }

  payment(id: string): Promise<Payment> {
    return this.#call('GET', `/pos/v1/payments/${encodeURIComponent(id)}`);
  }

  cancel(a: Attempt<{ paymentId: string }>): Promise<Payment> {
    return this.#call('POST', `/pos/v1/payments/${encodeURIComponent(a.body.paymentId)}/cancel`, undefined, a.key);
  }

  refund(a: Attempt<{ paymentId: string; refund: RefundBody }>): Promise<Payment> {
    return this.#call('POST', `/pos/v1/payments/${encodeURIComponent(a.body.paymentId)}/refunds`, a.body.refund, a.key);
  }

  cashTopup(a: Attempt<CashTopupBody>): Promise<CashReceipt> {
    return this.#call('POST', '/pos/v1/cash-topups', a.body, a.key);
  }
}
