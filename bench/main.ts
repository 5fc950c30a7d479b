/**
 * `npm run bench` (quick, a few minutes) and `npm run bench -- --full` (long): Konpay's
 * payment path measured against pgbench's TPC-B on the same PostgreSQL server, in one run.
 *
 *  1. build (`npm run build`), find or start PostgreSQL, make `konpay_bench` afresh and
 *     apply the migrations;
 *  2. seed in bulk (bench/lib/seed.ts), with progress;
 *  3. the yardstick: pgbench -i -s 10, then -c 8 -j 2 -M prepared -T …; the raw argon2id
 *     verification rate in-process;
 *  4. Konpay as production runs it: `node dist/main.js`, NODE_ENV=production, default
 *     hashing, generated secrets, CARDNET=off, SMS through its HTTP gateway adapter to the
 *     load generator's sink;
 *  5. scenarios from the load generator (a separate process, undici keep-alive pools),
 *     each warmed up first: POS payments spread over every store and all to one store, at
 *     8 and 64 clients; logins; history pages; card top-ups through the simulator;
 *  6. checks: every approved payment in `payments` and the ledger exactly once;
 *  7. bench/results/latest.json and a table. Exits 1 when a payment is missing or doubled.
 *
 * `--only pos` is the quick iteration on the payment path: steps 1–3 without the argon2id
 * rate, the four payment scenarios and the checks, written to bench/results/partial.json
 * (not committed) so the full results in latest.json stay as they were.
 *
 * `--soak [--soak-minutes N]` (quick size; N defaults to 10) asks whether the service
 * holds up: steps 1–4 without the argon2id rate (pgbench stays, as the machine's
 * yardstick in soak.json), then
 *  - the peak: the 64-client payment phase over every store (warm-up, ANALYZE, 20 s);
 *  - half of that rate on a fixed schedule (wrk2-style: late starts count), 64 clients,
 *    for a warm-up minute (reported, not judged), ANALYZE, then N minutes in one go. The
 *    load generator reports every 10 s; each report samples Konpay's VmRSS (the node
 *    process itself, checked), the load generator's, and PostgreSQL's PSS summed over
 *    its processes. Codes are made as the run goes, about a minute ahead, since each
 *    lives five minutes and pays once; the wallets' balances and the 24-hour limit are
 *    checked first to cover the worst case, so no payment is declined for funds;
 *  - the payment checks, and the verdict: no errors, nothing missing or doubled, and
 *    Konpay's mean RSS over the last minute within 10 % of its mean over the first minute
 *    after the warm-up (the least-squares slope in MB/min is reported beside it).
 * Results to bench/results/soak.json (committed) and a table; exits 1 when not ok.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { envSchema } from '../src/config.js';
import { loadMigrations, migrate } from '../src/db/migrate.js';
import { createPool } from '../src/db/pool.js';
import { argon2Hasher } from '../src/identity/password.js';
import { newSecret, secretBytes } from '../src/secrets.js';
import { argon2VerifyRate } from './lib/argon2-rate.js';
import { checkPayments } from './lib/checks.js';
import { CodeMaker } from './lib/codes.js';
import { LoadGenerator } from './lib/loadgen.js';
import { parseOptions, resultsFiles, UsageError, type BenchOptions } from './lib/options.js';
import { runPgbench } from './lib/pgbench.js';
import { dropDatabase, EMBEDDED_SETTINGS, openServer, recreateDatabase, serverVersion, type PgServer } from './lib/postgres.js';
import { baseEnv, build, freePort, ROOT, startNode, waitForHttp, type Child } from './lib/processes.js';
import { buildResults, missingFigures, renderTable, type Measured, type PosFigures } from './lib/results.js';
import { benchPassword, seed, type Seeded } from './lib/seed.js';
import { round } from './lib/stats.js';
import { assertNodeRunning, postgresPssMb, postmasterOf, rssMb } from './lib/memory.js';
import { buildSoak, CODES_HELD, codesToMake, renderSoak, soakBudgetProblem, type SoakSample } from './lib/soak.js';
import { PAYMENT_AMOUNT_YEN, type IntervalStats, type PhaseResult } from './load/protocol.js';

const DB = 'konpay_bench';
const started = Date.now();
const log = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

/** Undone last first: children, then the database, then the server. Each step gets 20 s at most. */
const cleanups: (() => Promise<unknown>)[] = [];
let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const fn of cleanups.reverse()) {
      const timeout = sleep(20_000).then(() => console.error('cleanup: a step took over 20 s; going on'));
      await Promise.race([fn().catch((err: unknown) => console.error(`cleanup: ${(err as Error).message}`)), timeout]);
    }
  })();
  return cleaning;
}
let signalled = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (signalled) process.exit(130); // a second Ctrl-C: leave at once
    signalled = true;
    console.error(`\n${signal}: stopping children, dropping the bench database, stopping PostgreSQL…`);
    void cleanup().finally(() => process.exit(130));
  });
}

const perSecond = (r: PhaseResult) => (r.elapsedMs > 0 ? r.ok / (r.elapsedMs / 1000) : 0);

/** Waits until Konpay's outbox has nothing due (notices of the previous phase), so phases do not overlap. */
async function drainOutbox(pool: pg.Pool, limitMs = 120_000): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE status = 'pending' AND next_attempt_at <= now()`);
    if (rows[0]!.n === 0) break;
    if (Date.now() - t0 > limitMs) {
      log(`  outbox still has ${rows[0]!.n} messages due after ${limitMs / 1000} s; going on`);
      break;
    }
    await sleep(250);
  }
  if (Date.now() - t0 > 1000) log(`  waited ${((Date.now() - t0) / 1000).toFixed(1)} s for the outbox to drain`);
  await sleep(500);
}

/**
 * ANALYZE after each warm-up. The seeded tables were analyzed while idempotency keys,
 * the outbox and the last day's payments were empty; a service that has run for a while
 * has had autovacuum analyze them as they grew (about once a minute under this load). A
 * 20-second phase on stale statistics measures the planner's guess about an empty table
 * (sequential scans of thousands of keys per batch), not the service.
 */
async function freshStatistics(pool: pg.Pool): Promise<void> {
  const t0 = Date.now();
  await pool.query('ANALYZE');
  log(`  ANALYZE (fresh planner statistics, as autovacuum keeps them): ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

interface Ctx {
  o: BenchOptions;
  pool: pg.Pool;
  load: LoadGenerator;
  baseUrl: string;
  seeded: Seeded;
  codes: CodeMaker;
  approved: string[];
  details: Record<string, unknown>;
}

function phaseLine(name: string, r: PhaseResult): string {
  const l = r.latency;
  return `${name}: ${round(perSecond(r))}/s · p50 ${round(l.p50)} ms · p99 ${round(l.p99)} ms · ok ${r.ok} · errors ${r.errors}${r.exhausted ? ' · (ran out of codes/users)' : ''}`
    + (r.errors ? `\n    ${JSON.stringify(r.statuses)} ${r.errorSamples.join(' | ')}` : '');
}

async function posScenario(ctx: Ctx, name: string, hot: boolean, clients: number, ratePerSecond?: number): Promise<PosFigures> {
  const { o, load, codes } = ctx;
  await drainOutbox(ctx.pool);
  const terminals = (hot ? ctx.seeded.terminals.slice(0, 1) : ctx.seeded.terminals).map((t) => ({ keyId: t.keyId, secret: t.secret }));
  const tag = `${name}-${randomBytes(4).toString('hex')}`;
  // Warm-up: at most warmupS, with codes for a generous guess of the rate.
  const warmCodes = await codes.make(o.warmupS * 4000);
  const paced = ratePerSecond ? { ratePerSecond } : {};
  const warm = await load.run({ kind: 'payments', baseUrl: ctx.baseUrl, clients, terminals, codes: warmCodes, durationMs: o.warmupS * 1000, tag: `${tag}w`, ...paced });
  ctx.approved.push(...(warm.approvedIds ?? []));
  log(`  ${phaseLine(`${name} warm-up`, warm)}`);
  await freshStatistics(ctx.pool);
  // Codes for the measured phase: half as many again as the warm-up rate needs.
  const need = Math.min(3_000_000, Math.ceil(perSecond(warm) * 1.5 * o.measureS) + 2000);
  const measureCodes = await codes.make(need);
  const r = await load.run({ kind: 'payments', baseUrl: ctx.baseUrl, clients, terminals, codes: measureCodes, durationMs: o.measureS * 1000, tag: `${tag}m`, ...paced });
  ctx.approved.push(...(r.approvedIds ?? []));
  log(`  ${phaseLine(name, r)}`);
  ctx.details[name] = {
    clients, stores: terminals.length, ...(ratePerSecond ? { scheduled_per_s: round(ratePerSecond) } : {}),
    elapsed_s: round(r.elapsedMs / 1000), completed: r.completed, approved: r.ok,
    p90_ms: round(r.latency.p90), max_ms: round(r.latency.max), statuses: r.statuses, ran_out_of_codes: r.exhausted,
    ...(r.errorSamples.length ? { error_samples: r.errorSamples } : {}),
  };
  return { clients, payments_per_s: perSecond(r), p50_ms: r.latency.p50, p99_ms: r.latency.p99, errors: r.errors };
}

async function loginScenario(ctx: Ctx, password: string) {
  const { o } = ctx;
  await drainOutbox(ctx.pool);
  const job = { kind: 'login' as const, baseUrl: ctx.baseUrl, clients: o.loginClients, users: ctx.seeded.loginUsers, password };
  log(`  ${phaseLine('login warm-up', await ctx.load.run({ ...job, durationMs: 3000 }))}`);
  const r = await ctx.load.run({ ...job, durationMs: o.secondaryMeasureS * 1000 });
  log(`  ${phaseLine('login', r)}`);
  return r;
}

async function historyScenario(ctx: Ctx) {
  const { o } = ctx;
  await drainOutbox(ctx.pool);
  const job = { kind: 'history' as const, baseUrl: ctx.baseUrl, clients: o.historyClients, token: ctx.seeded.history.token, depth: 20, limit: 50 };
  log(`  ${phaseLine('history warm-up', await ctx.load.run({ ...job, durationMs: 3000 }))}`);
  const r = await ctx.load.run({ ...job, durationMs: o.secondaryMeasureS * 1000 });
  log(`  ${phaseLine('history_page', r)}`);
  ctx.details.history_page = {
    clients: job.clients, limit: job.limit, pages_deep: job.depth, pages_per_s: round(perSecond(r)), p50_ms: round(r.latency.p50), p90_ms: round(r.latency.p90),
    errors: r.errors, statuses: r.statuses,
  };
  return r;
}

async function cardScenario(ctx: Ctx, sim: { url: string }) {
  const { o } = ctx;
  await drainOutbox(ctx.pool);
  log(`  adding a card for each of ${ctx.seeded.topupUsers.length} customers (tokenise, POST /v1/cards, issuer's SMS challenge, verify)`);
  const t0 = Date.now();
  const setup = await ctx.load.run({ kind: 'card_setup', baseUrl: ctx.baseUrl, cardnetUrl: sim.url, clients: 16, users: ctx.seeded.topupUsers });
  log(`  ${setup.cards.length} cards active in ${((Date.now() - t0) / 1000).toFixed(1)} s${setup.failures.length ? `; ${setup.failures.length} failed: ${setup.failures.slice(0, 3).join(' | ')}` : ''}`);
  if (setup.cards.length < o.cardClients) throw new Error(`only ${setup.cards.length} cards could be added; the card scenario needs ${o.cardClients}`);
  const byIndex = new Map(ctx.seeded.topupUsers.map((u) => [u.i, u]));
  const users = setup.cards.map((c) => ({ token: byIndex.get(c.i)!.token, holderPhone: byIndex.get(c.i)!.holderPhone, cardId: c.cardId }));
  await drainOutbox(ctx.pool);
  const job = { kind: 'card_topups' as const, baseUrl: ctx.baseUrl, clients: o.cardClients, users, amount: 1000 };
  log(`  ${phaseLine('card_topup warm-up', await ctx.load.run({ ...job, durationMs: o.warmupS * 1000, tag: `topw-${randomBytes(4).toString('hex')}` }))}`);
  const r = await ctx.load.run({ ...job, durationMs: o.secondaryMeasureS * 1000, tag: `topm-${randomBytes(4).toString('hex')}` });
  log(`  ${phaseLine('card_topup', r)}`);
  const sms = r.extra?.sms_wait_ms as { p50: number; p99: number } | undefined;
  const inner = r.extra?.without_sms_ms as { p50: number; p99: number } | undefined;
  ctx.details.card_topup = {
    clients: job.clients, amount: job.amount, p50_ms: round(r.latency.p50), cards_added: setup.cards.length, card_setup_failures: setup.failures.length,
    sms_wait_p50_ms: sms && round(sms.p50), sms_wait_p99_ms: sms && round(sms.p99),
    without_sms_p50_ms: inner && round(inner.p50), without_sms_p99_ms: inner && round(inner.p99),
    sms_received: r.extra?.sms_received, statuses: r.statuses,
    ...(r.errorSamples.length ? { error_samples: r.errorSamples } : {}),
  };
  return r;
}

/** The soak samples every 10 s, at 64 clients; its first minute is a warm-up, reported and not judged. */
const SOAK_INTERVAL_MS = 10_000;
const SOAK_WARMUP_MS = 60_000;
const SOAK_CLIENTS = 64;

/** The processes whose memory the soak samples, and the samples so far. */
interface SoakWatch {
  konpayPid: number;
  loadPid: number;
  /** Undefined when PostgreSQL is not a process of this machine. */
  postmaster?: number;
  t0: number;
  samples: SoakSample[];
}

function soakSample(w: SoakWatch, phase: SoakSample['phase'], s: IntervalStats): SoakSample {
  return {
    t_s: Math.round((Date.now() - w.t0) / 1000), phase,
    per_s: round(s.ms > 0 ? s.ok / (s.ms / 1000) : 0), p50_ms: round(s.latency.p50), p99_ms: round(s.latency.p99), errors: s.errors,
    konpay_rss_mb: round(rssMb(w.konpayPid)), load_rss_mb: round(rssMb(w.loadPid)),
    postgres_pss_mb: w.postmaster === undefined ? null : round(postgresPssMb(w.postmaster)),
  };
}

const sampleLine = (s: SoakSample) =>
  `  ${s.phase === 'warmup' ? 'warm-up' : 'soak'} ${String(s.t_s).padStart(6)} s: ${s.per_s}/s · p50 ${s.p50_ms} ms · p99 ${s.p99_ms} ms · errors ${s.errors}`
  + ` · RSS Konpay ${s.konpay_rss_mb} MB, load generator ${s.load_rss_mb} MB${s.postgres_pss_mb === null ? '' : ` · PostgreSQL PSS ${s.postgres_pss_mb} MB`}`;

/**
 * One paced stretch of the soak (its warm-up minute, or the soak itself) over every
 * store, sampled at each interval report. Codes are made as it goes (CODES_HELD): a code
 * lives five minutes and pays once, so a soak cannot have them all made beforehand.
 */
async function soakStretch(ctx: Ctx, w: SoakWatch, phase: SoakSample['phase'], rate: number, durationMs: number): Promise<PhaseResult> {
  const codes = await ctx.codes.make(Math.ceil(rate * CODES_HELD.startS));
  let held = codes.length; // given to the load generator and not answered yet
  let making: Promise<void> | undefined;
  // Thrown after the stretch: thrown in the report handler, it would end the bench without its cleanup.
  let failure: unknown;
  const terminals = ctx.seeded.terminals.map((t) => ({ keyId: t.keyId, secret: t.secret }));
  const stream = ctx.load.stream({
    kind: 'payments', baseUrl: ctx.baseUrl, clients: SOAK_CLIENTS, terminals, codes, durationMs,
    tag: `soak-${phase}-${randomBytes(4).toString('hex')}`, ratePerSecond: rate, intervalMs: SOAK_INTERVAL_MS,
  }, (s) => {
    held -= s.completed;
    try {
      const sample = soakSample(w, phase, s);
      w.samples.push(sample);
      log(sampleLine(sample));
    } catch (err) {
      failure ??= err;
    }
    const n = codesToMake(held - SOAK_CLIENTS, rate); // the requests in flight hold codes too
    if (n === 0 || making) return;
    making = ctx.codes.make(n).then(
      (more) => {
        held += more.length;
        stream.moreCodes(more);
      },
      (err: unknown) => {
        failure ??= err;
      },
    ).finally(() => (making = undefined));
  });
  const r = await stream.done;
  await making;
  if (failure) throw failure;
  for (const id of r.approvedIds ?? []) ctx.approved.push(id); // a spread of 100,000s of ids would overflow the stack
  log(`  ${phaseLine(phase === 'warmup' ? 'soak warm-up' : 'soak', r)}`);
  return r;
}

/**
 * A decline for funds or for the 24-hour limit would count as an error: the soak checks
 * first that the payers' smallest balance covers its worst case (soakBudgetProblem).
 */
async function assertAffordable(ctx: Ctx, rate: number, minutes: number, limit24h: number): Promise<void> {
  const { first, count } = ctx.seeded.payers;
  const { rows } = await ctx.pool.query<{ n: string }>(
    `SELECT min(a.credits_posted - a.debits_posted - a.debits_pending) AS n
       FROM bench.wallets w JOIN ledger_accounts a ON a.id = w.wallet_id WHERE w.i >= $1 AND w.i < $2`,
    [first, first + count],
  );
  const problem = soakBudgetProblem({
    codesMade: ctx.codes.made, ratePerSecond: rate, seconds: SOAK_WARMUP_MS / 1000 + minutes * 60, payers: count,
    minBalance: Number(rows[0]!.n), limit24h, maxAmount: PAYMENT_AMOUNT_YEN.max,
  });
  if (problem) throw new Error(`soak: ${problem}`);
}

interface SoakInputs {
  konpay: Child;
  minutes: number;
  since: Date;
  limit24h: number;
  run: Record<string, unknown>;
}

/** `--soak` after the setup: the peak, the soak, the checks and soak.json. Returns the exit code. */
async function soakRun(ctx: Ctx, x: SoakInputs): Promise<number> {
  log(`peak: pos_payment_64, ${SOAK_CLIENTS} clients, payments spread over ${ctx.o.stores} stores`);
  const peak = await posScenario(ctx, 'pos_payment_64', false, SOAK_CLIENTS);
  const rate = peak.payments_per_s / 2;
  await assertAffordable(ctx, rate, x.minutes, x.limit24h);
  await drainOutbox(ctx.pool);
  const w: SoakWatch = { konpayPid: x.konpay.process.pid!, loadPid: ctx.load.child.process.pid!, postmaster: await postmasterOf(ctx.pool), t0: Date.now(), samples: [] };
  assertNodeRunning(w.konpayPid, 'dist/main.js');
  assertNodeRunning(w.loadPid, join('bench', 'load', 'main.ts'));
  log(`soak: ${round(rate)} payments a second on a schedule (half of ${round(peak.payments_per_s)}), ${SOAK_CLIENTS} clients, a warm-up minute then ${x.minutes} min;`
    + ` memory of Konpay (pid ${w.konpayPid}), the load generator (pid ${w.loadPid}) and ${w.postmaster ? `PostgreSQL (postmaster ${w.postmaster})` : 'not PostgreSQL (not on this machine)'} every ${SOAK_INTERVAL_MS / 1000} s`);
  const warmup = await soakStretch(ctx, w, 'warmup', rate, SOAK_WARMUP_MS);
  await freshStatistics(ctx.pool);
  const soak = await soakStretch(ctx, w, 'soak', rate, x.minutes * 60_000);
  await ctx.load.child.stop();
  log('load generator stopped; stopping Konpay (SIGTERM)');
  await x.konpay.stop();

  log(`checks: ${ctx.approved.length.toLocaleString('en-US')} approved payments against payments and the ledger`);
  const checks = await checkPayments(ctx.pool, ctx.approved, x.since);
  const results = buildSoak({
    when: new Date(), minutes: x.minutes, peakRate: peak.payments_per_s, rateScheduled: rate, warmup, soak, checks,
    samples: w.samples, sampleIntervalS: SOAK_INTERVAL_MS / 1000,
    run: { ...x.run, clients: SOAK_CLIENTS, sample_interval_s: SOAK_INTERVAL_MS / 1000, warmup_s: SOAK_WARMUP_MS / 1000, payment_codes_made: ctx.codes.made, peak_phase: ctx.details.pos_payment_64 },
  });
  const file = join('bench', 'results', resultsFiles(ctx.o)[0]!);
  await mkdir(join(ROOT, 'bench', 'results'), { recursive: true });
  await writeFile(join(ROOT, file), JSON.stringify(results, null, 2) + '\n');
  console.log(`\n${renderSoak(results)}\n\nwritten: ${file}`);
  return results.ok ? 0 : 1;
}

/** What the secondary scenarios need beyond the context: the password, the argon2id figures, where the simulator goes. */
interface SecondaryInputs {
  password: string;
  argon2: { memoryKib: number; iterations: number; parallelism: number };
  a2: { perSecond: number; verifies: number; threads: number };
  historyMovements: number;
  sim: { env: NodeJS.ProcessEnv; port: number; logFile: string };
}

/** Login, history pages and card top-ups, in that order; `--only pos` skips them. */
async function secondaryScenarios(ctx: Ctx, x: SecondaryInputs): Promise<Required<Pick<Measured, 'card' | 'login' | 'history'>>> {
  const { o } = ctx;
  log(`login: password login on a remembered device, ${o.loginClients} clients`);
  const login = await loginScenario(ctx, x.password);
  ctx.details.login = {
    clients: o.loginClients, p50_ms: round(login.latency.p50), p99_ms: round(login.latency.p99), errors: login.errors,
    argon2_threads: x.a2.threads, argon2_params: x.argon2, argon2_verifies: x.a2.verifies,
  };

  log(`history_page: GET /v1/wallet/history of a wallet with ${o.historyMovements.toLocaleString('en-US')} movements`);
  const history = await historyScenario(ctx);

  log('card_topup: starting the card-network simulator');
  const sim = startNode('cardnet', 'bench/cardnet-sim.ts', x.sim.env, x.sim.logFile);
  cleanups.push(() => sim.stop());
  const simUrl = `http://127.0.0.1:${x.sim.port}`;
  await waitForHttp(sim, `${simUrl}/openapi.json`, 60_000, x.sim.logFile);
  const card = await cardScenario(ctx, { url: simUrl });
  await sim.stop();
  log('simulator stopped');
  return {
    card: { topups_per_s: perSecond(card), p99_ms: card.latency.p99, errors: card.errors },
    login: { logins_per_s: perSecond(login), argon2_verifies_per_s: x.a2.perSecond },
    history: { movements: x.historyMovements, p99_ms: history.latency.p99 },
  };
}

async function keepOrRemoveLogs(o: BenchOptions, logs: string): Promise<void> {
  if (o.keepDb) log(`logs kept in ${logs}`);
  else await rm(logs, { recursive: true, force: true });
}

async function main(): Promise<number> {
  const o = parseOptions(process.argv.slice(2));
  log(`konpay bench (${o.mode}${o.only ? `, only ${o.only}` : ''}${o.soak ? `, soak ${o.soak.minutes} min` : ''}): ${o.wallets.toLocaleString('en-US')} wallets, ${o.stores} stores, phases ${o.warmupS} s warm-up + ${o.measureS} s`);
  const defaults = envSchema.parse({});
  const argon2 = { memoryKib: defaults.ARGON2_MEMORY_KIB, iterations: defaults.ARGON2_ITERATIONS, parallelism: defaults.ARGON2_PARALLELISM };

  if (o.build) {
    log('npm run build');
    await build();
  }

  const server: PgServer = await openServer(log);
  cleanups.push(() => server.stop());
  const pgVersion = await serverVersion(server);
  log(`PostgreSQL ${pgVersion}; database ${DB} made afresh`);
  await recreateDatabase(server, DB);
  const dbUrl = server.urlFor(DB);
  const pool = createPool({ connectionString: dbUrl, max: 4, applicationName: 'konpay-bench' });
  cleanups.push(() => pool.end());
  // Before the pool ends: DROP … WITH (FORCE) also ends a seeding statement still running.
  if (!o.keepDb) cleanups.push(() => dropDatabase(server, DB));
  const { applied } = await migrate(pool, await loadMigrations());
  log(`migrations applied: ${applied.length}`);

  const secrets = { pepper: newSecret(), signing: newSecret(), encryption: newSecret() };
  const signingKey = secretBytes(secrets.signing);
  const password = benchPassword();
  const passwordHash = await argon2Hasher(secretBytes(secrets.pepper), argon2).hash(password);

  log('seeding');
  const seedStarted = Date.now();
  const seeded = await seed(pool, o, {
    encryptionKey: secretBytes(secrets.encryption), signingKey, passwordHash, password,
    payableShards: defaults.MERCHANT_PAYABLE_SHARDS, feeBps: defaults.MERCHANT_FEE_BPS,
  }, log);
  const seedSeconds = (Date.now() - seedStarted) / 1000;

  const pgbench = await runPgbench(server, { scale: o.pgbenchScale, clients: 8, threads: 2, seconds: o.pgbenchS }, log);
  log(`  pgbench TPC-B: ${round(pgbench.report.tps)} tps (latency ${pgbench.report.latencyMs} ms, ${pgbench.report.failed ?? 0} failed)`);

  // Only the login scenario is compared with it; measured before Konpay starts, on idle cores.
  const a2 = o.only || o.soak ? undefined : await argon2VerifyRate(secretBytes(secrets.pepper), argon2, password, passwordHash, o.argon2S);
  if (a2) log(`  argon2id verify in-process (m=${argon2.memoryKib} KiB, t=${argon2.iterations}, p=${argon2.parallelism}, ${a2.threads} threads): ${round(a2.perSecond)}/s`);

  const logs = await mkdtemp(join(tmpdir(), 'konpay-bench-logs-'));
  const [port, cardnetPort, smsPort] = [await freePort(), await freePort(), await freePort()];
  const baseUrl = `http://127.0.0.1:${port}`;
  const smsToken = randomBytes(24).toString('base64url');
  const konpayEnv: NodeJS.ProcessEnv = {
    ...baseEnv(), NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), PUBLIC_URL: baseUrl, DATABASE_URL: dbUrl,
    KONPAY_PASSWORD_PEPPER: secrets.pepper, KONPAY_SIGNING_KEY: secrets.signing, KONPAY_ENCRYPTION_KEY: secrets.encryption,
    CARDNET: 'off', CARD_NETWORK_URL: `http://127.0.0.1:${cardnetPort}`,
    SMS_GATEWAY_URL: `http://127.0.0.1:${smsPort}/sms`, SMS_GATEWAY_TOKEN: smsToken, LOG_LEVEL: 'info',
  };
  log(`starting Konpay: node dist/main.js (NODE_ENV=production, CARDNET=off), logs in ${logs}`);
  // Tuning: BENCH_KONPAY_ENV='PAYMENT_BATCH_LANES=4 POS_TERMINAL_CACHE_MS=5000' sets Konpay's own settings for the run.
  for (const kv of (process.env.BENCH_KONPAY_ENV ?? '').split(' ').filter(Boolean)) {
    const at = kv.indexOf('=');
    if (at > 0) konpayEnv[kv.slice(0, at)] = kv.slice(at + 1);
  }
  // For a look inside: BENCH_KONPAY_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the server alone.
  const nodeArgs = (process.env.BENCH_KONPAY_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const konpay: Child = startNode('konpay', 'dist/main.js', konpayEnv, join(logs, 'konpay.log'), nodeArgs);
  cleanups.push(() => konpay.stop());
  await waitForHttp(konpay, `${baseUrl}/ready`, 90_000, join(logs, 'konpay.log'));
  const load = await LoadGenerator.start({ ...baseEnv(), BENCH_SMS_PORT: String(smsPort), BENCH_SMS_TOKEN: smsToken }, join(logs, 'load.log'));
  cleanups.push(() => load.child.stop());
  log(`Konpay ready at ${baseUrl}; load generator pid ${load.child.process.pid}`);

  const since = (await pool.query<{ now: Date }>('SELECT now()')).rows[0]!.now;
  const ctx: Ctx = {
    o, pool, load, baseUrl, seeded, approved: [], details: {},
    codes: new CodeMaker(pool, signingKey, seeded.payers, defaults.PAYMENT_CODE_TTL_SECONDS),
  };
  if (o.soak) {
    const code = await soakRun(ctx, {
      konpay, minutes: o.soak.minutes, since, limit24h: defaults.LIMIT_PAYMENT_24H_YEN,
      run: {
        wallets: seeded.users, stores: o.stores, seed_s: round(seedSeconds), machine: { cpus: cpus().length, memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10 },
        postgres: { version: pgVersion, ...(server.embedded ? { embedded: true, settings: EMBEDDED_SETTINGS } : { embedded: false }) },
        pgbench_tps: round(pgbench.report.tps), node: process.version,
      },
    });
    await keepOrRemoveLogs(o, logs);
    return code;
  }
  const uniform: PosFigures[] = [];
  const hot: PosFigures[] = [];
  for (const clients of o.posClients) {
    log(`pos_payment, ${clients} clients, payments spread over ${o.stores} stores`);
    uniform.push(await posScenario(ctx, clients === 8 ? 'pos_payment' : `pos_payment_${clients}`, false, clients));
    log(`pos_payment_hot_store, ${clients} clients, every payment at one store`);
    hot.push(await posScenario(ctx, clients === 8 ? 'pos_payment_hot_store' : `pos_payment_hot_store_${clients}`, true, clients));
  }  // The latency target is at half the peak rate: requests on a fixed schedule, spread over
  // the stores, with clients enough that none waits for a free one.
  const peak = Math.max(...uniform.map((f) => f.payments_per_s));
  log(`pos_payment_half_peak: ${round(peak / 2)} payments a second on a schedule (half of ${round(peak)}), 64 clients, spread over ${o.stores} stores`);
  const halfPeak = { ...(await posScenario(ctx, 'pos_payment_half_peak', false, 64, peak / 2)), target_per_s: peak / 2 };


  // `--only pos` measured no argon2id rate and runs none of these.
  const secondary = a2
    ? await secondaryScenarios(ctx, {
        password, argon2, a2, historyMovements: seeded.history.movements,
        sim: {
          env: { ...baseEnv(), DATABASE_URL: dbUrl, KONPAY_SIGNING_KEY: secrets.signing, PUBLIC_URL: baseUrl, CARDNET_PORT: String(cardnetPort) },
          port: cardnetPort, logFile: join(logs, 'cardnet.log'),
        },
      })
    : {};
  await load.child.stop();
  log('load generator stopped; stopping Konpay (SIGTERM)');
  await konpay.stop();

  log(`checks: ${ctx.approved.length.toLocaleString('en-US')} approved payments against payments and the ledger`);
  const checks = await checkPayments(pool, ctx.approved, since);
  const { rows: [entries] } = await pool.query<{ n: number }>('SELECT count(*)::int8 AS n FROM ledger_transfers');

  const results = buildResults({
    when: new Date(), cpus: cpus().length, memoryBytes: totalmem(), postgresVersion: pgVersion, primaryClients: 8,
    uniform, hot, ...secondary,
    pgbench: { clients: 8, tps: pgbench.report.tps },
    checks,
    run: {
      mode: o.mode, ...(o.only ? { only: o.only } : {}), wallets: seeded.users, ledger_entries_seeded: seeded.ledgerEntries, ledger_entries_after: entries!.n,
      merchants: 1, stores: o.stores, terminals: seeded.terminals.length, payment_codes_made: ctx.codes.made,
      warmup_s: o.warmupS, measure_s: o.measureS, secondary_measure_s: o.secondaryMeasureS, seed_s: round(seedSeconds),
      postgres: server.embedded ? { embedded: true, settings: EMBEDDED_SETTINGS } : { embedded: false },
      konpay: { node_env: 'production', log_level: 'info', database_pool_max: defaults.DATABASE_POOL_MAX, pos_terminal_cache_ms: defaults.POS_TERMINAL_CACHE_MS, cardnet: 'off (simulator process for card_topup)' },
      pgbench: { command: pgbench.command, transactions: pgbench.report.transactions, latency_ms: pgbench.report.latencyMs, failed: pgbench.report.failed },
    },
    details: ctx.details,
  });
  const files = resultsFiles(o).map((f) => join('bench', 'results', f));
  await mkdir(join(ROOT, 'bench', 'results'), { recursive: true });
  for (const file of files) await writeFile(join(ROOT, file), JSON.stringify(results, null, 2) + '\n');
  console.log(`\n${renderTable(results)}\n\nwritten: ${files.join(', ')}`);
  const gaps = missingFigures(results);
  if (gaps.length) console.log(`figures missing: ${gaps.join(', ')}`);

  await keepOrRemoveLogs(o, logs);
  const bad = checks.missing > 0 || checks.duplicated > 0;
  if (bad) console.error(`CHECK FAILED: ${checks.missing} missing, ${checks.duplicated} duplicated payments`);
  return bad ? 1 : 0;
}

main().then(
  async (code) => {
    await cleanup();
    process.exit(code);
  },
  async (err: unknown) => {
    if (signalled) return; // the signal handler is cleaning up and exits
    if (err instanceof UsageError) console.error(err.message);
    else console.error('bench failed:', err);
    await cleanup();
    process.exit(2);
  },
);
