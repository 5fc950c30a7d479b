/**
 * The pure parts of `npm run bench` (bench/): reading pgbench's report, percentiles, the
 * results file's shape and the options. The bench itself is not a test and is not run here.
 */
import { describe, expect, it } from 'vitest';
import { parseOptions, resultsFiles, UsageError } from '../../bench/lib/options.js';
import { parsePgbench } from '../../bench/lib/pgbench-parse.js';
import { runPhase } from '../../bench/load/http.js';
import { buildResults, missingFigures, renderTable, type Measured } from '../../bench/lib/results.js';
import { benchCardNumber } from '../../bench/lib/seed.js';
import { percentile, ratio, summarise } from '../../bench/lib/stats.js';
import { luhnValid, profileOf } from '../../src/cardnet/test-cards.js';

const PGBENCH_15 = `pgbench (15.19 (Debian 15.19-0+deb12u1), server 18.0)
transaction type: <builtin: TPC-B (sort of)>
scaling factor: 10
query mode: prepared
number of clients: 8
number of threads: 2
maximum number of tries: 1
duration: 30 s
number of transactions actually processed: 123456
number of failed transactions: 0 (0.000%)
latency average = 1.944 ms
initial connection time = 12.345 ms
tps = 4115.234567 (without initial connection time)
`;

const PGBENCH_13 = `transaction type: <builtin: TPC-B (sort of)>
scaling factor: 10
number of clients: 8
number of threads: 2
tps = 3990.100000 (including connections establishing)
tps = 4001.500000 (excluding connections establishing)
`;

describe('pgbench report', () => {
  it('reads tps without connection time, and the run figures', () => {
    expect(parsePgbench(PGBENCH_15)).toEqual({ tps: 4115.234567, clients: 8, threads: 2, scale: 10, transactions: 123456, failed: 0, latencyMs: 1.944 });
  });

  it('takes the "excluding connections" figure of older pgbench', () => {
    expect(parsePgbench(PGBENCH_13).tps).toBe(4001.5);
  });

  it('fails loudly when there is no tps line', () => {
    expect(() => parsePgbench('pgbench: error: connection to server failed')).toThrow(/no tps line/);
  });
});

describe('percentiles', () => {
  it('uses the nearest rank', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
    expect(summarise([5, 1, 3])).toEqual({ count: 3, p50: 3, p90: 5, p99: 5, max: 5 });
  });

  it('has no ratio without a denominator', () => {
    expect(ratio(3, 0)).toBeNull();
    expect(ratio(null, 2)).toBeNull();
    expect(ratio(1, 3)).toBe(0.333);
  });
});

const measured = (): Measured => ({
  when: new Date('2026-11-25T03:00:00Z'), cpus: 2, memoryBytes: 24 * 2 ** 30, postgresVersion: '18.0', primaryClients: 8,
  uniform: [{ clients: 8, payments_per_s: 2000.123, p50_ms: 3.21, p99_ms: 9.876, errors: 0 }, { clients: 64, payments_per_s: 2500, p50_ms: 20, p99_ms: 60, errors: 0 }],
  hot: [{ clients: 8, payments_per_s: 1800, p50_ms: 4, p99_ms: 11, errors: 0 }, { clients: 64, payments_per_s: 2100, p50_ms: 25, p99_ms: 70, errors: 1 }],
  card: { topups_per_s: 55.5, p99_ms: 400, errors: 0 },
  login: { logins_per_s: 18, argon2_verifies_per_s: 20 },
  history: { movements: 100_000, p99_ms: 6.5 },
  pgbench: { clients: 8, tps: 4000 },
  checks: { approved: 100, missing: 0, duplicated: 0 },
});

describe('results file', () => {
  it('has exactly the shape of issue 6, the 64-client figures beside the 8-client ones', () => {
    const r = buildResults(measured());
    expect(Object.keys(r)).toEqual(['when', 'machine', 'postgres', 'scenarios', 'ratios', 'checks']);
    expect(r.machine).toEqual({ cpus: 2, memoryGiB: 24 });
    expect(Object.keys(r.scenarios)).toEqual([
      'pos_payment', 'pos_payment_hot_store', 'pos_payment_64', 'pos_payment_hot_store_64', 'card_topup', 'login', 'history_page', 'pgbench_tpcb',
    ]);
    expect(r.scenarios.pos_payment).toEqual({ clients: 8, payments_per_s: 2000.1, p50_ms: 3.21, p99_ms: 9.88, errors: 0 });
    expect(Object.keys(r.scenarios.pos_payment_hot_store)).toEqual(['clients', 'payments_per_s', 'p50_ms', 'p99_ms', 'errors']);
    expect(r.scenarios.card_topup).toEqual({ topups_per_s: 55.5, p99_ms: 400, errors: 0 });
    expect(r.scenarios.login).toEqual({ logins_per_s: 18, argon2_verifies_per_s: 20 });
    expect(r.scenarios.history_page).toEqual({ movements: 100_000, p99_ms: 6.5 });
    expect(r.scenarios.pgbench_tpcb).toEqual({ clients: 8, tps: 4000 });
    expect(r.ratios).toEqual({ pos_vs_tpcb: 0.5, hot_vs_uniform: 0.9, login_vs_argon2: 0.9 });
    expect(r.checks).toEqual({ approved: 100, missing: 0, duplicated: 0 });
    expect(missingFigures(r)).toEqual([]);
    expect(renderTable(r)).toMatch(/pos_payment_hot_store_64\s+64\s+2,100/);
  });

  it('puts the half-peak run beside the payment scenarios, with the rate it was scheduled at', () => {
    const r = buildResults({ ...measured(), halfPeak: { clients: 64, payments_per_s: 999.6, p50_ms: 4.2, p99_ms: 18.4, errors: 0, target_per_s: 1000.04 } });
    expect(r.scenarios).toMatchObject({ pos_payment_half_peak: { clients: 64, payments_per_s: 999.6, p99_ms: 18.4, target_per_s: 1000 } });
    expect(renderTable(r)).toMatch(/pos_payment_half_peak\s+64\s+999\.6/);
  });

  it('names every figure that could not be measured', () => {
    const m = measured();
    m.history = { movements: 100_000, p99_ms: Number.NaN };
    m.pgbench = { clients: 8, tps: 0 };
    const r = buildResults(m);
    expect(missingFigures(r)).toEqual(['scenarios.history_page.p99_ms', 'ratios.pos_vs_tpcb']);
  });

  it('of a payments-only run (--only pos) leaves out what was not run, names it, and prints it as not run', () => {
    const { card: _card, login: _login, history: _history, ...m } = measured();
    const r = buildResults(m);
    expect(Object.keys(r.scenarios)).toEqual(['pos_payment', 'pos_payment_hot_store', 'pos_payment_64', 'pos_payment_hot_store_64', 'pgbench_tpcb']);
    expect(r.ratios).toEqual({ pos_vs_tpcb: 0.5, hot_vs_uniform: 0.9 });
    expect(r.not_run).toEqual(['card_topup', 'login', 'history_page']);
    expect(missingFigures(r)).toEqual([]);
    const table = renderTable(r);
    for (const name of ['card_topup', 'login', 'argon2id verify (in-process)', 'history_page']) {
      expect(table).toMatch(new RegExp(`^${name.replace(/[()]/g, '\\$&')}\\s+not run\\s*$`, 'm'));
    }
    expect(table).toMatch(/pos_payment_hot_store_64\s+64\s+2,100/);
    expect(table).toMatch(/pgbench_tpcb\s+8\s+4,000/);
  });

  it('of a full run names nothing as not run', () => {
    expect(buildResults(measured())).not.toHaveProperty('not_run');
  });

  it('refuses results without the 8-client figures', () => {
    const m = measured();
    m.uniform = m.uniform.filter((f) => f.clients !== 8);
    expect(() => buildResults(m)).toThrow(/no figures at 8 clients/);
  });
});

describe('options and seed helpers', () => {
  it('has a quick and a full preset', () => {
    expect(parseOptions([])).toMatchObject({ mode: 'quick', wallets: 100_000, measureS: 20 });
    expect(parseOptions(['--full'])).toMatchObject({ mode: 'full', wallets: 1_000_000, measureS: 60 });
    expect(parseOptions(['--wallets', '5000', '--no-build'])).toMatchObject({ wallets: 5000, build: false });
    expect(() => parseOptions(['--wallets', 'many'])).toThrow(UsageError);
    expect(() => parseOptions(['--bogus'])).toThrow(UsageError);
  });

  it('runs only the payment scenarios with --only pos, into partial.json', () => {
    expect(parseOptions([]).only).toBeUndefined();
    expect(parseOptions(['--only', 'pos'])).toMatchObject({ mode: 'quick', only: 'pos' });
    expect(parseOptions(['--full', '--only', 'pos', '--no-build'])).toMatchObject({ mode: 'full', only: 'pos', build: false });
    expect(() => parseOptions(['--only'])).toThrow(/--only takes pos/);
    expect(() => parseOptions(['--only', 'login'])).toThrow(UsageError);
    expect(resultsFiles(parseOptions(['--only', 'pos']))).toEqual(['partial.json']);
    expect(resultsFiles(parseOptions([]))).toEqual(['latest.json', 'quick.json']);
    expect(resultsFiles(parseOptions(['--full']))).toEqual(['latest.json', 'full.json']);
  });

  it('makes Luhn-valid card numbers that are none of the special test cards', () => {
    for (const k of [0, 1, 7, 299, 123_456]) {
      const n = benchCardNumber(k);
      expect(n).toMatch(/^\d{16}$/);
      expect(luhnValid(n)).toBe(true);
      expect(profileOf(n)).toBe('challenge');
    }
    expect(new Set([0, 1, 2, 3].map(benchCardNumber)).size).toBe(4);
  });
});

describe('paced load', () => {
  it('starts requests on the schedule, and a request that starts late counts its wait', async () => {
    const started: number[] = [];
    const t0 = Date.now();
    // One client, a request every 10 ms, each taking 40 ms: the client falls behind at once.
    const r = await runPhase(1, 200, async () => {
      started.push(Date.now() - t0);
      await new Promise((done) => setTimeout(done, 40));
      return { ok: true, ms: 40, status: '201' };
    }, 100);
    expect(r.completed).toBeGreaterThanOrEqual(2);
    expect(r.completed).toBeLessThanOrEqual(20); // never more than the schedule holds
    // The second request was due at 10 ms and could start only after the first (≥ 40 ms).
    expect(r.latency.max).toBeGreaterThanOrEqual(40 + 25);
  });

  it('waits for each slot when the server keeps up', async () => {
    const t0 = Date.now();
    const r = await runPhase(2, 150, async () => ({ ok: true, ms: 1, status: '201' }), 40);
    // 40 a second for 150 ms: slots at 0, 25, … 125 ms; unpaced, two clients would do thousands.
    expect(r.completed).toBeLessThanOrEqual(7);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100);
  });
});
