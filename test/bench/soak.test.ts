/**
 * The pure parts of the soak (`npm run bench -- --soak`): its options, the memory trend
 * and verdict, the code top-ups and the funds check, and the load generator's interval
 * reports. The soak itself is not a test and is not run here.
 */
import { describe, expect, it } from 'vitest';
import { parseOptions, resultsFiles, UsageError } from '../../bench/lib/options.js';
import { buildSoak, codesToMake, memoryTrend, renderSoak, slope, soakBudgetProblem, type SoakSample } from '../../bench/lib/soak.js';
import { summarise } from '../../bench/lib/stats.js';
import { runPhase } from '../../bench/load/http.js';
import type { IntervalStats, PhaseResult } from '../../bench/load/protocol.js';

describe('soak options', () => {
  it('soaks 10 minutes by default, into soak.json', () => {
    expect(parseOptions([]).soak).toBeUndefined();
    expect(parseOptions(['--soak'])).toMatchObject({ mode: 'quick', soak: { minutes: 10 } });
    expect(parseOptions(['--soak', '--soak-minutes', '1']).soak).toEqual({ minutes: 1 });
    expect(parseOptions(['--soak-minutes', '3', '--soak']).soak).toEqual({ minutes: 3 });
    expect(resultsFiles(parseOptions(['--soak']))).toEqual(['soak.json']);
  });

  it('refuses bad minutes, minutes without --soak, and a soak mixed with another run', () => {
    for (const bad of ['0', '-1', '1.5', 'ten']) expect(() => parseOptions(['--soak', '--soak-minutes', bad])).toThrow(/--soak-minutes needs a positive whole number/);
    expect(() => parseOptions(['--soak', '--soak-minutes'])).toThrow(UsageError);
    expect(() => parseOptions(['--soak-minutes', '5'])).toThrow(/goes with --soak/);
    expect(() => parseOptions(['--soak', '--full'])).toThrow(UsageError);
    expect(() => parseOptions(['--soak', '--only', 'pos'])).toThrow(UsageError);
  });
});

describe('memory trend', () => {
  it('fits a least-squares slope', () => {
    expect(slope([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }])).toBe(2);
    expect(slope([{ x: 0, y: 4 }, { x: 1, y: 2 }, { x: 2, y: 6 }, { x: 3, y: 4 }])).toBeCloseTo(0.4);
    expect(slope([{ x: 1, y: 1 }])).toBeNull();
    expect(slope([{ x: 1, y: 1 }, { x: 1, y: 2 }])).toBeNull();
  });

  it('compares the first and last minute by sample count, with the slope per minute', () => {
    // Two minutes of 10-second samples: 100 MB for the first minute, 110 MB for the second.
    const samples = Array.from({ length: 12 }, (_, k) => ({ t_s: 70 + k * 10, mb: k < 6 ? 100 : 110 }));
    const t = memoryTrend(samples, 6);
    expect(t).toMatchObject({ after_warmup_first_minute: 100, last_minute: 110, growth_pct: 10 });
    expect(t.slope_mb_per_min).toBeCloseTo(7.55, 2); // 180 / 143 MB a sample, six samples a minute
    // A steady 1 MB a minute.
    expect(memoryTrend(Array.from({ length: 30 }, (_, k) => ({ t_s: k * 10, mb: 200 + k / 6 })), 6).slope_mb_per_min).toBeCloseTo(1);
  });
});

const phase = (p: Partial<PhaseResult>): PhaseResult => ({
  completed: 100, ok: 100, errors: 0, statuses: { 201: 100 }, errorSamples: [], elapsedMs: 10_000, latency: summarise([10, 20, 30]), exhausted: false, ...p,
});

function samples(konpay: (k: number) => number): SoakSample[] {
  return Array.from({ length: 18 }, (_, k) => ({
    t_s: (k + 1) * 10, phase: k < 6 ? 'warmup' : 'soak', per_s: 10, p50_ms: 20, p99_ms: 30, errors: 0,
    konpay_rss_mb: konpay(k), load_rss_mb: 100 + k, postgres_pss_mb: null,
  }));
}

const measured = (s: SoakSample[], soak = phase({})) => ({
  when: new Date('2026-11-26T10:00:00Z'), minutes: 2, peakRate: 20, rateScheduled: 10, warmup: phase({}), soak, sampleIntervalS: 10,
  checks: { approved: 300, missing: 0, duplicated: 0, unexpected: 0, ledger_balanced: true }, samples: s, run: {},
});

describe('soak verdict', () => {
  it('judges memory after the warm-up minute, within 10 %', () => {
    // The warm-up grows from 50 to 150 MB; after it, 150 MB then 160 MB (6.7 %).
    const r = buildSoak(measured(samples((k) => (k < 6 ? 50 + k * 20 : k < 12 ? 150 : 160))));
    expect(r.ok).toBe(true);
    expect(r.rss_mb).toMatchObject({ after_warmup_first_minute: 150, last_minute: 160, growth_pct: 6.67, max: 160 });
    expect(r.failures).toBeUndefined();
    expect(r.other_memory.postgres_pss_mb).toBeNull();
    expect(renderSoak(r)).toContain('OK');
  });

  it('fails on growth past 10 %, on errors and on codes running out', () => {
    const grown = buildSoak(measured(samples((k) => (k < 12 ? 150 : 170))));
    expect(grown.ok).toBe(false);
    expect(grown.failures).toEqual([expect.stringContaining('13.33 %')]);
    const bad = buildSoak(measured(samples(() => 150), phase({ errors: 2, exhausted: true })));
    expect(bad.ok).toBe(false);
    expect(bad.failures).toEqual(['2 errors', 'the load generator ran out of codes']);
    expect(renderSoak(bad)).toContain('NOT OK: 2 errors');
  });
});

describe('soak codes and funds', () => {
  it('tops codes up to about a minute ahead', () => {
    expect(codesToMake(100 * 50, 100)).toBe(0);
    expect(codesToMake(100 * 40, 100)).toBe(3000);
  });

  it('refuses a soak the wallets cannot afford', () => {
    const quick = { codesMade: 40_000, ratePerSecond: 450, seconds: 660, payers: 99_636, minBalance: 40_000, limit24h: 100_000, maxAmount: 1000 };
    expect(soakBudgetProblem(quick)).toBeUndefined();
    expect(soakBudgetProblem({ ...quick, seconds: 10 * 3600 })).toMatch(/spend ¥\d+ of a wallet holding ¥40000/);
    expect(soakBudgetProblem({ ...quick, minBalance: 1_000_000, seconds: 20 * 3600 })).toMatch(/24 hours/);
    expect(soakBudgetProblem({ ...quick, payers: 20_000, minBalance: 1_000_000, limit24h: 1_000_000 })).toMatch(/hold \d+ codes/);
  });
});

describe('interval reports', () => {
  it('reports each interval as it ends, the last one with the answers after the deadline', async () => {
    const reports: IntervalStats[] = [];
    const r = await runPhase(1, 250, async () => {
      await new Promise((done) => setTimeout(done, 20));
      return { ok: true, ms: 20, status: '201' };
    }, 100, { ms: 100, report: (s) => reports.push(s) });
    expect(reports).toHaveLength(3);
    expect(reports.reduce((a, s) => a + s.completed, 0)).toBe(r.completed);
    expect(reports.reduce((a, s) => a + s.ok, 0)).toBe(r.ok);
    expect(reports[0]!.ms).toBeGreaterThanOrEqual(90);
  });
});
