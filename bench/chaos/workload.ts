/**
 * The chaos run's customers and cashiers: concurrent loops doing what the service is for
 * — payments, card and cash top-ups, cancellations, refunds, sign-ins — against either server at
 * random, each retrying after an error or a timeout with the same Idempotency-Key and
 * body, as a till must, and recording every answer it got. What a client was told is
 * what the checks hold the database to.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { Agent, request } from 'undici';
import { signedHeaders } from '../load/pos.js';
import type { SmsSink } from '../load/sms-sink.js';

export interface Terminal {
  keyId: string;
  secret: string;
  storeId: string;
}

/** One operation as the client saw it: every attempt's answer, and the last. */
export interface Op {
  kind: 'payment' | 'cash_topup' | 'card_topup' | 'cancel' | 'refund' | 'login';
  key: string;
  attempts: string[];
  /** The last HTTP status, or `gave_up` when every attempt failed without an answer. */
  final: number | 'gave_up';
  /** `pay_…` for payments, cancellations and refunds; `txn_…` for cash top-ups; `top_…` for card top-ups. */
  id?: string;
  /** A card top-up's last status as the customer saw it (`succeeded` is what credits the wallet). */
  status?: string;
  amount?: number;
  /** A refusal's `reason` or `code`. */
  reason?: string;
}

export interface WorkloadDeps {
  servers: () => string[];
  terminals: Terminal[];
  /** A fresh one-time payment code (made as the app stores them); undefined when none can be made now. */
  code: () => string | undefined;
  logins: { email: string; deviceCredential: string }[];
  password: string;
  /** Customers with an active card, and the phone the issuer texts their 3-D Secure codes to. */
  cardholders: { token: string; holderPhone: string; cardId: string }[];
  sms: SmsSink;
}

/** How long a client keeps retrying one operation before recording that it gave up. */
const RETRY_FOR_MS = 45_000;
const TIMEOUT_MS = 5_000;

const agent = new Agent({ connections: 64, keepAliveTimeout: 4_000, connect: { timeout: 2_000 } });

async function send(base: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
  const r = await request(`${base}${path}`, { method: method as 'POST', headers, body, dispatcher: agent, headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS });
  return { status: r.statusCode, text: await r.body.text() };
}

/** Whether an answer settles the operation: a success or a refusal, not "try again" (5xx, 429, or the key still in progress). */
function settled(r: { status: number; text: string }): boolean {
  if (r.status >= 500 || r.status === 429) return false;
  return !(r.status === 409 && r.text.includes('idempotency_request_in_progress'));
}

export class Workload {
  readonly ops: Op[] = [];
  /** Approved payments the clients may cancel or refund later, with the store's terminal. */
  readonly #paid: { id: string; amount: number; terminal: Terminal; refunded: number }[] = [];
  #stop = false;
  /** Cardholders not in a top-up right now: one challenge per phone at a time, as in life. */
  readonly #freeCardholders: WorkloadDeps['cardholders'];

  constructor(private readonly d: WorkloadDeps) {
    this.#freeCardholders = [...d.cardholders];
  }

  async run(clients: number, untilMs: number): Promise<void> {
    await Promise.all(Array.from({ length: clients }, () => this.#loop(untilMs)));
  }

  stop(): void {
    this.#stop = true;
  }

  async #loop(untilMs: number): Promise<void> {
    while (!this.#stop && Date.now() < untilMs) {
      const roll = randomInt(100);
      if (roll < 40) await this.#payment();
      else if (roll < 50) await this.#cashTopup();
      else if (roll < 60) await this.#cardTopup();
      else if (roll < 70) await this.#cancel();
      else if (roll < 80) await this.#refund();
      else await this.#login();
    }
  }

  /** Sends until settled or out of time; a new signature and nonce each attempt, the same key and body. */
  async #attempt(
    op: Op, method: string, path: string, body: string | undefined, headersFor: () => Record<string, string>, opts: { base?: string; record?: boolean } = {},
  ): Promise<{ status: number; text: string } | undefined> {
    const deadline = Date.now() + RETRY_FOR_MS;
    let last: { status: number; text: string } | undefined;
    for (let n = 0; Date.now() < deadline; n++) {
      const servers = this.d.servers();
      const base = opts.base ?? servers[randomInt(servers.length)]!;
      try {
        last = await send(base, method, path, headersFor(), body);
        op.attempts.push(String(last.status));
        if (settled(last)) break;
      } catch (err) {
        op.attempts.push((err as { code?: string }).code ?? (err as Error).name);
      }
      await new Promise((r) => setTimeout(r, Math.min(2_000, 50 * 2 ** Math.min(n, 6)) * (0.5 + Math.random())));
    }
    const answer = last && settled(last) ? last : undefined;
    op.final = answer ? answer.status : 'gave_up';
    if (answer && answer.status >= 400) {
      try {
        const b = JSON.parse(answer.text) as { reason?: string; code?: string };
        op.reason = b.reason ?? b.code;
      } catch {
        op.reason = 'unparsable';
      }
    }
    if (opts.record !== false) this.ops.push(op);
    return answer;
  }

  #pos(op: Op, t: Terminal, path: string, body: string | undefined) {
    return this.#attempt(op, 'POST', path, body, () => ({
      ...signedHeaders(t.keyId, t.secret, 'POST', path, body ?? ''),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      'idempotency-key': op.key,
    }));
  }

  async #payment(): Promise<void> {
    const code = this.d.code();
    if (!code) return void (await new Promise((r) => setTimeout(r, 200)));
    const t = this.d.terminals[randomInt(this.d.terminals.length)]!;
    const amount = 100 + randomInt(1900);
    const op: Op = { kind: 'payment', key: `chaos-${randomBytes(9).toString('base64url')}`, attempts: [], final: 'gave_up', amount };
    const body = JSON.stringify({ code, amount, orderId: op.key, categories: ['food'] });
    const r = await this.#pos(op, t, '/pos/v1/payments', body);
    if (r?.status === 201) {
      op.id = (JSON.parse(r.text) as { id: string }).id;
      this.#paid.push({ id: op.id, amount, terminal: t, refunded: 0 });
    }
  }

  async #cashTopup(): Promise<void> {
    const code = this.d.code();
    if (!code) return;
    const t = this.d.terminals[randomInt(this.d.terminals.length)]!;
    const amount = 1000 * (1 + randomInt(5));
    const op: Op = { kind: 'cash_topup', key: `chaos-${randomBytes(9).toString('base64url')}`, attempts: [], final: 'gave_up', amount };
    const r = await this.#pos(op, t, '/pos/v1/cash-topups', JSON.stringify({ code, amount }));
    if (r?.status === 201) op.id = (JSON.parse(r.text) as { id: string }).id;
  }

  async #cancel(): Promise<void> {
    const p = this.#paid.splice(randomInt(Math.max(1, this.#paid.length)), 1)[0];
    if (!p) return;
    const op: Op = { kind: 'cancel', key: `chaos-${randomBytes(9).toString('base64url')}`, attempts: [], final: 'gave_up', id: p.id };
    await this.#pos(op, p.terminal, `/pos/v1/payments/${p.id}/cancel`, undefined);
  }

  async #refund(): Promise<void> {
    const p = this.#paid[randomInt(Math.max(1, this.#paid.length))];
    if (!p || p.refunded >= p.amount) return;
    const amount = 1 + randomInt(p.amount - p.refunded);
    const op: Op = { kind: 'refund', key: `chaos-${randomBytes(9).toString('base64url')}`, attempts: [], final: 'gave_up', id: p.id, amount };
    const r = await this.#pos(op, p.terminal, `/pos/v1/payments/${p.id}/refunds`, JSON.stringify({ amount }));
    if (r?.status === 201) p.refunded += amount;
  }

  /**
   * A card top-up as the app does it: create (Idempotency-Key), read the issuer's code
   * from the SMS, type it into the issuer's page (the network's own address, not through
   * Konpay), then confirm and look until the top-up has an outcome. The customer walks
   * away when the code never comes or the outcome takes too long: the reconciliation job
   * must finish or cancel what they left.
   */
  async #cardTopup(): Promise<void> {
    const u = this.#freeCardholders.shift();
    if (!u) return void (await new Promise((r) => setTimeout(r, 100)));
    const op: Op = { kind: 'card_topup', key: `chaos-${randomBytes(9).toString('base64url')}`, attempts: [], final: 'gave_up', amount: 1000 };
    try {
      const auth = { authorization: `Bearer ${u.token}` };
      this.d.sms.clear(u.holderPhone);
      const created = await this.#attempt(op, 'POST', '/v1/topups', JSON.stringify({ cardId: u.cardId, amount: op.amount }), () => ({
        ...auth, 'content-type': 'application/json', 'idempotency-key': op.key,
      }));
      if (created?.status !== 201) return;
      const topup = JSON.parse(created.text) as { id: string; status: string; nextAction: { url: string } | null };
      op.id = topup.id;
      op.status = topup.status;
      if (topup.status !== 'requires_action' || !topup.nextAction) return;
      const code = await this.d.sms.next(u.holderPhone, 20_000).catch(() => undefined);
      if (!code) return void (op.status = 'walked_away_no_sms');
      const page = new URL(topup.nextAction.url);
      const step: Op = { ...op, attempts: [] };
      const challenged = await this.#attempt(step, 'POST', page.pathname + page.search, new URLSearchParams({ code }).toString(),
        () => ({ 'content-type': 'application/x-www-form-urlencoded' }), { base: page.origin, record: false });
      if (challenged?.status !== 303) return void (op.status = `challenge_${challenged?.status ?? 'unanswered'}`);
      const deadline = Date.now() + RETRY_FOR_MS;
      for (let n = 0; Date.now() < deadline; n++) {
        const r = n === 0
          ? await this.#attempt({ ...step, attempts: [] }, 'POST', `/v1/topups/${topup.id}/confirm`, undefined, () => auth, { record: false })
          : await this.#attempt({ ...step, attempts: [] }, 'GET', `/v1/topups/${topup.id}`, undefined, () => auth, { record: false });
        if (r?.status === 200) op.status = (JSON.parse(r.text) as { status: string }).status;
        if (op.status !== 'processing' && op.status !== 'requires_action') return;
        await new Promise((res) => setTimeout(res, 250));
      }
    } finally {
      this.#freeCardholders.push(u);
    }
  }

  async #login(): Promise<void> {
    const u = this.d.logins[randomInt(this.d.logins.length)]!;
    const op: Op = { kind: 'login', key: u.email, attempts: [], final: 'gave_up' };
    await this.#attempt(op, 'POST', '/v1/login', JSON.stringify({ identifier: u.email, password: this.d.password, transport: 'bearer' }), () => ({
      'content-type': 'application/json', 'x-konpay-device': u.deviceCredential,
    }));
  }
}
