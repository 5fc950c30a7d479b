/**
 * The soak's arithmetic (`npm run bench -- --soak`): how many codes the load generator
 * should hold, whether the wallets can afford the run, the memory trend, the results file
 * (bench/results/soak.json) and its table. Pure, so the vitest test can check them.
 */
import type { PhaseResult } from '../load/protocol.js';
import type { Checks } from './results.js';
import { fmt, table } from './results.js';
import { round } from './stats.js';

/**
 * Codes the load generator holds, in seconds of the schedule: it starts with `startS`,
 * and gets `addS` more whenever an interval report finds less than `lowS` left. Making a
 * batch takes a second or two, so `lowS` leaves ample time; and a code is used at most
 * `lowS + addS` seconds after it was made, far within its five minutes.
 */
export const CODES_HELD = { startS: 60, lowS: 45, addS: 30 } as const;

/** Codes to make now, given those the load generator has not used yet: 0 while it holds enough. */
export function codesToMake(held: number, ratePerSecond: number): number {
  return held < ratePerSecond * CODES_HELD.lowS ? Math.ceil(ratePerSecond * CODES_HELD.addS) : 0;
}

export interface Budget {
  /** Codes made before the soak (the peak phase's). */
  codesMade: number;
  ratePerSecond: number;
  /** The soak's length with its warm-up. */
  seconds: number;
  payers: number;
  /** The smallest available balance among the payers, and the 24-hour payment limit, in yen. */
  minBalance: number;
  limit24h: number;
  maxAmount: number;
}

/**
 * Why the soak cannot run as planned, or undefined. A decline for funds or for the
 * 24-hour limit would count as an error, so the worst case must fit: every code of the
 * run (those made already, the soak's, and what each stretch may leave unused) paid at the
 * top amount, spread over the payers in turn as CodeMaker hands them out. And the codes
 * held must be fewer than the payers: a wallet's new code supersedes its unused one.
 */
export function soakBudgetProblem(b: Budget): string | undefined {
  const held = b.ratePerSecond * (CODES_HELD.lowS + CODES_HELD.addS);
  const codes = b.codesMade + b.ratePerSecond * b.seconds + 2 * held;
  const worst = Math.ceil(codes / b.payers) * b.maxAmount;
  if (worst > b.minBalance) return `the soak could spend ¥${worst} of a wallet holding ¥${b.minBalance}: shorten it (--soak-minutes) or seed more wallets (--wallets)`;
  if (worst > b.limit24h) return `the soak could spend ¥${worst} of a wallet in 24 hours, over the ¥${b.limit24h} limit: shorten it or seed more wallets`;
  if (held >= b.payers) return `at ${round(b.ratePerSecond)}/s the load generator would hold ${Math.ceil(held)} codes for ${b.payers} payers: seed more wallets`;
  return undefined;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Least-squares slope of y over x; null without two distinct x. */
export function slope(points: readonly { x: number; y: number }[]): number | null {
  if (points.length < 2) return null;
  const mx = mean(points.map((p) => p.x));
  const my = mean(points.map((p) => p.y));
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return sxx === 0 ? null : points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0) / sxx;
}

export interface Trend {
  after_warmup_first_minute: number;
  last_minute: number;
  /** Last minute's mean against the first's, in per cent (negative: it shrank). */
  growth_pct: number;
  slope_mb_per_min: number | null;
}

/**
 * A memory series after the warm-up, one sample an interval in order: the means of its
 * first and last minute (`perMinute` samples each, by count, since the samples come on a
 * timer) and the least-squares slope over all of it.
 */
export function memoryTrend(samples: readonly { t_s: number; mb: number }[], perMinute: number): Trend {
  const first = mean(samples.slice(0, perMinute).map((s) => s.mb));
  const last = mean(samples.slice(-perMinute).map((s) => s.mb));
  const perMin = slope(samples.map((s) => ({ x: s.t_s / 60, y: s.mb })));
  return {
    after_warmup_first_minute: round(first),
    last_minute: round(last),
    growth_pct: round(((last - first) / first) * 100),
    slope_mb_per_min: perMin === null ? null : round(perMin),
  };
}

/** Memory is stable when the last minute's mean is within this of the first minute's (after the warm-up). */
export const STABLE_WITHIN_PCT = 10;

export interface SoakSample {
  /** Whole seconds since the warm-up started, at the end of the interval. */
  t_s: number;
  phase: 'warmup' | 'soak';
  /** Approved payments a second answered in the interval. */
  per_s: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
  konpay_rss_mb: number;
  load_rss_mb: number;
  /** Null when PostgreSQL is not a process of this machine. */
  postgres_pss_mb: number | null;
}

export interface SoakMeasured {
  when: Date;
  minutes: number;
  peakRate: number;
  rateScheduled: number;
  warmup: PhaseResult;
  soak: PhaseResult;
  checks: Checks;
  samples: readonly SoakSample[];
  sampleIntervalS: number;
  run: Record<string, unknown>;
}

const perSecond = (r: PhaseResult) => (r.elapsedMs > 0 ? r.ok / (r.elapsedMs / 1000) : 0);

function trendOf(samples: readonly SoakSample[], value: (s: SoakSample) => number | null, perMinute: number): Trend | null {
  const judged = samples.filter((s) => s.phase === 'soak' && value(s) !== null);
  return judged.length ? memoryTrend(judged.map((s) => ({ t_s: s.t_s, mb: value(s)! })), perMinute) : null;
}

/** soak.json: the figures the issue asks for, then what explains them; judged on the soak after its warm-up minute. */
export function buildSoak(m: SoakMeasured) {
  const perMinute = Math.round(60 / m.sampleIntervalS);
  const konpay = trendOf(m.samples, (s) => s.konpay_rss_mb, perMinute);
  const failures = [
    ...(m.soak.errors ? [`${m.soak.errors} errors`] : []),
    ...(m.checks.missing ? [`${m.checks.missing} payments missing`] : []),
    ...(m.checks.duplicated ? [`${m.checks.duplicated} payments duplicated`] : []),
    ...(m.warmup.exhausted || m.soak.exhausted ? ['the load generator ran out of codes'] : []),
    ...(!konpay || !(Math.abs(konpay.growth_pct) <= STABLE_WITHIN_PCT)
      ? [`Konpay's RSS moved ${konpay?.growth_pct ?? '?'} % from the first minute after warm-up to the last (limit ${STABLE_WITHIN_PCT} %)`]
      : []),
  ];
  return {
    when: m.when.toISOString(),
    minutes: m.minutes,
    rate_scheduled: round(m.rateScheduled),
    rate_delivered: round(perSecond(m.soak)),
    peak_rate: round(m.peakRate),
    latency: { p50: round(m.soak.latency.p50), p99: round(m.soak.latency.p99), max: round(m.soak.latency.max) },
    errors: m.soak.errors,
    approved: m.checks.approved,
    missing: m.checks.missing,
    duplicated: m.checks.duplicated,
    // Null only when the soak ended before its first report.
    rss_mb: konpay && { ...konpay, max: round(Math.max(...m.samples.map((s) => s.konpay_rss_mb))) },
    ok: failures.length === 0,
    ...(failures.length ? { failures } : {}),
    warmup: {
      seconds: round(m.warmup.elapsedMs / 1000), rate_delivered: round(perSecond(m.warmup)),
      latency: { p50: round(m.warmup.latency.p50), p99: round(m.warmup.latency.p99), max: round(m.warmup.latency.max) }, errors: m.warmup.errors,
    },
    soak_payments: m.soak.ok,
    statuses: m.soak.statuses,
    ...(m.soak.errorSamples.length ? { error_samples: m.soak.errorSamples } : {}),
    checks: { unexpected: m.checks.unexpected, ledger_balanced: m.checks.ledger_balanced },
    other_memory: {
      load_generator_rss_mb: trendOf(m.samples, (s) => s.load_rss_mb, perMinute),
      postgres_pss_mb: trendOf(m.samples, (s) => s.postgres_pss_mb, perMinute),
    },
    run: m.run,
    samples: m.samples,
  };
}

export type SoakResults = ReturnType<typeof buildSoak>;

/** The table printed at the end. */
export function renderSoak(r: SoakResults): string {
  const w = r.warmup;
  const rows = [
    ['', 'warm-up', `soak (${r.minutes} min)`],
    ['scheduled per s', r.rate_scheduled, r.rate_scheduled],
    ['delivered per s', w.rate_delivered, r.rate_delivered],
    ['p50 ms', w.latency.p50, r.latency.p50],
    ['p99 ms', w.latency.p99, r.latency.p99],
    ['max ms', w.latency.max, r.latency.max],
    ['errors', w.errors, r.errors],
  ];
  const memory = (name: string, t: Trend | null, max?: number) => (t
    ? `${name}: first minute ${fmt(t.after_warmup_first_minute)} · last minute ${fmt(t.last_minute)} · growth ${fmt(t.growth_pct)} % · slope ${fmt(t.slope_mb_per_min)} MB/min${max === undefined ? '' : ` · max ${fmt(max)}`}`
    : `${name}: not measured`);
  return [
    `soak at half the peak (${fmt(r.peak_rate)}/s at 64 clients), after a warm-up minute that is reported, not judged`,
    table(rows),
    '',
    memory('Konpay RSS MB', r.rss_mb, r.rss_mb?.max),
    memory('load generator RSS MB (keeps every answer id; not judged)', r.other_memory.load_generator_rss_mb),
    memory('PostgreSQL PSS MB (not judged)', r.other_memory.postgres_pss_mb),
    `checks (the whole run): approved ${fmt(r.approved)} · missing ${r.missing} · duplicated ${r.duplicated} · unexpected ${fmt(r.checks.unexpected)} · ledger balanced ${fmt(r.checks.ledger_balanced)}`,
    `${r.when} · ${r.ok ? 'OK' : `NOT OK: ${r.failures!.join('; ')}`}`,
  ].join('\n');
}
