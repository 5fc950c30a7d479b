/**
 * The customer app's side of the bench: password logins on remembered devices, history
 * pages, adding cards and card top-ups through the issuer's 3-D Secure challenge.
 */
import { call, failed, msSince, nowNs, poolFor, runPhase, type Outcome } from './http.js';
import type { CardSetupJob, CardSetupResult, CardTopupsJob, HistoryJob, LoginJob, PhaseResult } from './protocol.js';
import type { SmsSink } from './sms-sink.js';
import { summarise } from '../lib/stats.js';

const json = { 'content-type': 'application/json' };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const SMS_WAIT_MS = 20_000;

/** A set of users each used by one client at a time. */
class Lease<T> {
  readonly #free: T[];
  constructor(items: readonly T[]) {
    this.#free = [...items];
  }
  take(): T | undefined {
    return this.#free.shift();
  }
  give(item: T): void {
    this.#free.push(item);
  }
}

function withSeries({ extraSeries, ...r }: PhaseResult & { extraSeries: Record<string, number[]> }): PhaseResult {
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(extraSeries)) extra[k] = summarise(v);
  return { ...r, approvedIds: undefined, extra };
}

export async function runLogin(job: LoginJob): Promise<PhaseResult> {
  const pool = poolFor(job.baseUrl, job.clients);
  const users = new Lease(job.users);
  const unit = async (): Promise<Outcome | undefined> => {
    const u = users.take();
    if (!u) return undefined;
    const t0 = nowNs();
    try {
      const r = await call(pool, {
        method: 'POST', path: '/v1/login', headers: { ...json, 'x-konpay-device': u.deviceCredential },
        body: JSON.stringify({ identifier: u.email, password: job.password, transport: 'bearer' }),
      });
      const ms = msSince(t0);
      if (r.status !== 200 || !(JSON.parse(r.text) as { session?: { token?: string } }).session?.token) return { ok: false, ms, status: String(r.status), sample: r.text };
      return { ok: true, ms, status: '200' };
    } catch (err) {
      return failed(t0, err);
    } finally {
      users.give(u);
    }
  };
  return withSeries(await runPhase(job.clients, job.durationMs, unit));
}

export async function runHistory(job: HistoryJob): Promise<PhaseResult> {
  const pool = poolFor(job.baseUrl, job.clients);
  const readers = new Lease(Array.from({ length: job.clients }, () => ({ cursor: null as string | null, page: 0 })));
  const unit = async (): Promise<Outcome | undefined> => {
    const reader = readers.take();
    if (!reader) return undefined;
    const path = `/v1/wallet/history?limit=${job.limit}${reader.cursor ? `&cursor=${encodeURIComponent(reader.cursor)}` : ''}`;
    const t0 = nowNs();
    try {
      const r = await call(pool, { method: 'GET', path, headers: bearer(job.token) });
      const ms = msSince(t0);
      if (r.status !== 200) return { ok: false, ms, status: String(r.status), sample: r.text };
      const page = JSON.parse(r.text) as { movements: unknown[]; nextCursor: string | null };
      if (page.movements.length !== job.limit) return { ok: false, ms, status: 'short-page', sample: `${page.movements.length} movements` };
      reader.page++;
      reader.cursor = reader.page < job.depth ? page.nextCursor : null;
      if (!reader.cursor) reader.page = 0;
      return { ok: true, ms, status: '200' };
    } catch (err) {
      reader.cursor = null;
      reader.page = 0;
      return failed(t0, err);
    } finally {
      readers.give(reader);
    }
  };
  return withSeries(await runPhase(job.clients, job.durationMs, unit));
}

async function postChallengeCode(url: string, code: string): Promise<number> {
  const u = new URL(url);
  const r = await call(poolFor(url, 8), {
    method: 'POST', path: u.pathname + u.search,
    headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ code }).toString(),
  });
  return r.status;
}

/** Adds each user's card as the app does: token from the network, POST /v1/cards, the issuer's challenge, verify. */
export async function runCardSetup(job: CardSetupJob, sms: SmsSink): Promise<CardSetupResult> {
  const konpay = poolFor(job.baseUrl, job.clients);
  const cardnet = poolFor(job.cardnetUrl, job.clients);
  const cards: CardSetupResult['cards'] = [];
  const failures: string[] = [];
  let next = 0;
  const year = new Date().getUTCFullYear() + 4;
  const one = async (u: CardSetupJob['users'][number]) => {
    const tok = await call(cardnet, {
      method: 'POST', path: '/cardnet/v1/tokens', headers: json,
      body: JSON.stringify({ number: u.cardNumber, expMonth: 12, expYear: year, cvc: '123', holderName: 'BENCH CUSTOMER', phone: u.holderPhone }),
    });
    if (tok.status !== 201) throw new Error(`tokenise: ${tok.status} ${tok.text.slice(0, 200)}`);
    sms.clear(u.holderPhone);
    const added = await call(konpay, { method: 'POST', path: '/v1/cards', headers: { ...json, ...bearer(u.token) }, body: JSON.stringify({ token: (JSON.parse(tok.text) as { token: string }).token }) });
    if (added.status !== 201) throw new Error(`POST /v1/cards: ${added.status} ${added.text.slice(0, 200)}`);
    const a = JSON.parse(added.text) as { card: { id: string }; nextAction: { url: string } | null };
    if (a.nextAction) {
      const code = await sms.next(u.holderPhone, SMS_WAIT_MS);
      const status = await postChallengeCode(a.nextAction.url, code);
      if (status !== 303) throw new Error(`challenge page answered ${status}`);
    }
    const verified = await call(konpay, { method: 'POST', path: `/v1/cards/${a.card.id}/verify`, headers: bearer(u.token) });
    const card = JSON.parse(verified.text) as { status?: string };
    if (verified.status !== 200 || card.status !== 'active') throw new Error(`verify: ${verified.status} ${verified.text.slice(0, 200)}`);
    cards.push({ i: u.i, cardId: a.card.id });
  };
  await Promise.all(Array.from({ length: job.clients }, async () => {
    for (let k = next++; k < job.users.length; k = next++) {
      await one(job.users[k]!).catch((err: unknown) => failures.push((err as Error).message));
    }
  }));
  return { cards, failures };
}

/**
 * One card top-up as the customer lives it: create (Idempotency-Key), the issuer's code
 * arrives by SMS, typed into the challenge page, then the app confirms. Timed whole; the
 * SMS wait (Konpay's outbox worker delivering the issuer's text) is also reported alone.
 */
export async function runCardTopups(job: CardTopupsJob, sms: SmsSink): Promise<PhaseResult> {
  const pool = poolFor(job.baseUrl, job.clients);
  const users = new Lease(job.users);
  const unit = async (k: number): Promise<Outcome | undefined> => {
    const u = users.take();
    if (!u) return undefined;
    const t0 = nowNs();
    try {
      sms.clear(u.holderPhone);
      const created = await call(pool, {
        method: 'POST', path: '/v1/topups', headers: { ...json, ...bearer(u.token), 'idempotency-key': `bench-${job.tag}-${k}` },
        body: JSON.stringify({ cardId: u.cardId, amount: job.amount }),
      });
      if (created.status !== 201) return { ok: false, ms: msSince(t0), status: `create-${created.status}`, sample: created.text };
      const topup = JSON.parse(created.text) as { id: string; status: string; nextAction: { url: string } | null };
      if (topup.status !== 'requires_action' || !topup.nextAction) return { ok: false, ms: msSince(t0), status: `create-${topup.status}`, sample: created.text };
      const t1 = nowNs();
      const code = await sms.next(u.holderPhone, SMS_WAIT_MS);
      const smsMs = msSince(t1);
      const challenged = await postChallengeCode(topup.nextAction.url, code);
      if (challenged !== 303) return { ok: false, ms: msSince(t0), status: `challenge-${challenged}`, sample: '' };
      let r = await call(pool, { method: 'POST', path: `/v1/topups/${topup.id}/confirm`, headers: bearer(u.token) });
      let status = r.status === 200 ? (JSON.parse(r.text) as { status: string }).status : `confirm-${r.status}`;
      for (let tries = 0; status === 'processing' && tries < 50; tries++) {
        await new Promise((res) => setTimeout(res, 100));
        r = await call(pool, { method: 'GET', path: `/v1/topups/${topup.id}`, headers: bearer(u.token) });
        status = r.status === 200 ? (JSON.parse(r.text) as { status: string }).status : `poll-${r.status}`;
      }
      const ms = msSince(t0);
      if (status !== 'succeeded') return { ok: false, ms, status, sample: r.text };
      return { ok: true, ms, status: 'succeeded', extra: { sms_wait_ms: smsMs, without_sms_ms: ms - smsMs } };
    } catch (err) {
      return failed(t0, err);
    } finally {
      users.give(u);
    }
  };
  return withSeries(await runPhase(job.clients, job.durationMs, unit));
}
