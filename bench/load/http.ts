/**
 * HTTP for the load generator: undici connection pools with keep-alive (one per origin
 * and size, kept across phases so a measured phase starts on warm connections), and a
 * phase runner that times each request with hrtime.
 */
import { Pool } from 'undici';
import { summarise } from '../lib/stats.js';
import type { IntervalStats, PhaseResult } from './protocol.js';

const pools = new Map<string, Pool>();

export function poolFor(url: string, connections: number): Pool {
  const origin = new URL(url).origin;
  const key = `${origin}#${connections}`;
  let p = pools.get(key);
  if (!p) {
    p = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 60_000, keepAliveMaxTimeout: 120_000, headersTimeout: 30_000, bodyTimeout: 30_000 });
    pools.set(key, p);
  }
  return p;
}

export async function closePools(): Promise<void> {
  await Promise.all([...pools.values()].map((p) => p.close()));
  pools.clear();
}

export interface Answer {
  status: number;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

export async function call(pool: Pool, opts: { method: 'GET' | 'POST'; path: string; headers?: Record<string, string>; body?: string }): Promise<Answer> {
  const res = await pool.request({ method: opts.method, path: opts.path, headers: opts.headers ?? {}, body: opts.body ?? null });
  const text = await res.body.text();
  return { status: res.statusCode, text, headers: res.headers };
}

export const nowNs = () => process.hrtime.bigint();
export const msSince = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

/** What one unit of work (a request, or a whole flow) came to. */
export type Outcome = { ok: true; ms: number; status: string; id?: string; extra?: Record<string, number> } | { ok: false; ms: number; status: string; sample: string };

/** The answers of the interval running, for `IntervalReports`. */
class IntervalTally {
  #since = Date.now();
  #latencies: number[] = [];
  #ok = 0;
  #errors = 0;

  add(ms: number, ok: boolean): void {
    this.#latencies.push(ms);
    if (ok) this.#ok++;
    else this.#errors++;
  }

  /** The figures since the last call; the next interval starts now. */
  take(): IntervalStats {
    const now = Date.now();
    const s = { ms: now - this.#since, completed: this.#latencies.length, ok: this.#ok, errors: this.#errors, latency: summarise(this.#latencies) };
    this.#since = now;
    this.#latencies = [];
    this.#ok = 0;
    this.#errors = 0;
    return s;
  }
}

/** Figures of a running phase every `ms`, for a run too long to judge by its end alone (the soak). */
export interface IntervalReports {
  ms: number;
  report: (s: IntervalStats) => void;
}

/**
 * Runs `clients` loops, each calling `unit(k)` with a fresh sequence number until
 * `durationMs` is up or `unit` answers `undefined` (nothing left to do). With
 * `ratePerSecond`, requests start on a fixed schedule (request k at k/rate seconds)
 * instead of as fast as answers come, and a request that starts late because every client
 * was busy counts its wait in its latency (as wrk2 does), so a server that falls behind
 * cannot hide it. With `intervals`, each interval's answers are also reported as it ends.
 */
export async function runPhase(
  clients: number, durationMs: number, unit: (k: number) => Promise<Outcome | undefined>, ratePerSecond?: number, intervals?: IntervalReports,
): Promise<PhaseResult & { extraSeries: Record<string, number[]> }> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const errorSamples: string[] = [];
  const approvedIds: string[] = [];
  const extraSeries: Record<string, number[]> = {};
  let ok = 0;
  let errors = 0;
  let seq = 0;
  let exhausted = false;
  const t0 = nowNs();
  const deadline = Date.now() + durationMs;
  const startedMs = Date.now();
  const tally = intervals && new IntervalTally();
  // Every interval but the last ends on the timer; the last ends with the phase, so it
  // also holds the answers to requests still in flight at the deadline.
  const last = intervals ? Math.ceil(durationMs / intervals.ms) : 0;
  let ended = 0;
  const timer = intervals && setInterval(() => {
    if (++ended < last) intervals.report(tally!.take());
  }, intervals.ms);
  const loop = async () => {
    while (Date.now() < deadline) {
      const k = seq++;
      let late = 0;
      if (ratePerSecond) {
        const due = startedMs + (k * 1000) / ratePerSecond;
        if (due >= deadline) return;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        else late = -wait;
      }
      const o = await unit(k);
      if (!o) {
        exhausted = true;
        return;
      }
      latencies.push(o.ms + late);
      tally?.add(o.ms + late, o.ok);
      statuses[o.status] = (statuses[o.status] ?? 0) + 1;
      if (o.ok) {
        ok++;
        if (o.id) approvedIds.push(o.id);
        for (const [k, v] of Object.entries(o.extra ?? {})) (extraSeries[k] ??= []).push(v);
      } else {
        errors++;
        if (errorSamples.length < 5) errorSamples.push(`${o.status}: ${o.sample.slice(0, 300)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, loop));
  if (intervals) {
    clearInterval(timer);
    intervals.report(tally!.take());
  }
  return {
    completed: latencies.length, ok, errors, statuses, errorSamples, elapsedMs: msSince(t0),
    latency: summarise(latencies), exhausted, approvedIds, extraSeries,
  };
}

/** A request that threw (connection refused, timeout) as an outcome. */
export function failed(t0: bigint, err: unknown): Outcome {
  const e = err as { code?: string; name?: string; message?: string };
  return { ok: false, ms: msSince(t0), status: e.code ?? e.name ?? 'network', sample: e.message ?? String(err) };
}
