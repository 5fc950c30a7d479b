/**
 * The results file (`bench/results/latest.json`) in the shape issue 6 asks for, and the
 * table printed at the end. Pure: the vitest test builds one from fixed figures.
 *
 * The required keys are exactly the issue's; `pos_payment` and `pos_payment_hot_store`
 * are the 8-client figures, the other client counts sit beside them as
 * `pos_payment_<clients>` and `pos_payment_hot_store_<clients>`. `run` and `details`
 * are additions: what was seeded, and the figures behind the headline numbers.
 *
 * A partial run (`--only pos`, written to partial.json) leaves out the scenarios it did
 * not run and the ratios that need them, and names them in `not_run`; they are not
 * missing figures, and the table prints them as "not run".
 */
import { ratio, round } from './stats.js';

export interface PosFigures {
  clients: number;
  payments_per_s: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
}

export interface Checks {
  approved: number;
  missing: number;
  duplicated: number;
  [more: string]: unknown;
}

export interface Measured {
  when: Date;
  cpus: number;
  memoryBytes: number;
  postgresVersion: string;
  /** The client count reported under the plain keys (8). */
  primaryClients: number;
  uniform: readonly PosFigures[];
  hot: readonly PosFigures[];
  /** Payments on a schedule at half the best uniform rate: the p99 target's conditions. */
  halfPeak?: PosFigures & { target_per_s: number };
  /** Absent when the scenario was not run (`--only pos`). */
  card?: { topups_per_s: number; p99_ms: number; errors: number };
  login?: { logins_per_s: number; argon2_verifies_per_s: number };
  history?: { movements: number; p99_ms: number };
  pgbench: { clients: number; tps: number };
  checks: Checks;
  run?: Record<string, unknown>;
  details?: Record<string, unknown>;
}

const posOut = (f: PosFigures): PosFigures => ({
  clients: f.clients, payments_per_s: round(f.payments_per_s), p50_ms: round(f.p50_ms), p99_ms: round(f.p99_ms), errors: f.errors,
});

function posKeys(base: string, figures: readonly PosFigures[], primary: number): Record<string, PosFigures> {
  const main = figures.find((f) => f.clients === primary);
  if (!main) throw new Error(`${base}: no figures at ${primary} clients`);
  const out: Record<string, PosFigures> = { [base]: posOut(main) };
  for (const f of figures) if (f.clients !== primary) out[`${base}_${f.clients}`] = posOut(f);
  return out;
}

/** The scenarios besides the payments, as their keys in `scenarios`. */
const SECONDARY = { card: 'card_topup', login: 'login', history: 'history_page' } as const;

export function buildResults(m: Measured) {
  const uniform = posKeys('pos_payment', m.uniform, m.primaryClients);
  const hot = posKeys('pos_payment_hot_store', m.hot, m.primaryClients);
  const u = uniform.pos_payment!;
  const h = hot.pos_payment_hot_store!;
  const notRun = (Object.keys(SECONDARY) as (keyof typeof SECONDARY)[]).filter((k) => !m[k]).map((k) => SECONDARY[k]);
  return {
    when: m.when.toISOString(),
    machine: { cpus: m.cpus, memoryGiB: Math.round((m.memoryBytes / 2 ** 30) * 10) / 10 },
    postgres: { version: m.postgresVersion },
    scenarios: {
      pos_payment: u,
      pos_payment_hot_store: h,
      ...Object.fromEntries(Object.entries(uniform).filter(([k]) => k !== 'pos_payment')),
      ...Object.fromEntries(Object.entries(hot).filter(([k]) => k !== 'pos_payment_hot_store')),
      ...(m.halfPeak ? { pos_payment_half_peak: { ...posOut(m.halfPeak), target_per_s: round(m.halfPeak.target_per_s) } } : {}),
      ...(m.card ? { card_topup: { topups_per_s: round(m.card.topups_per_s), p99_ms: round(m.card.p99_ms), errors: m.card.errors } } : {}),
      ...(m.login ? { login: { logins_per_s: round(m.login.logins_per_s), argon2_verifies_per_s: round(m.login.argon2_verifies_per_s) } } : {}),
      ...(m.history ? { history_page: { movements: m.history.movements, p99_ms: round(m.history.p99_ms) } } : {}),
      pgbench_tpcb: { clients: m.pgbench.clients, tps: round(m.pgbench.tps) },
    },
    ratios: {
      pos_vs_tpcb: ratio(u.payments_per_s, m.pgbench.tps),
      hot_vs_uniform: ratio(h.payments_per_s, u.payments_per_s),
      ...(m.login ? { login_vs_argon2: ratio(m.login.logins_per_s, m.login.argon2_verifies_per_s) } : {}),
    },
    checks: m.checks,
    ...(notRun.length ? { not_run: notRun } : {}),
    ...(m.run ? { run: m.run } : {}),
    ...(m.details ? { details: m.details } : {}),
  };
}

export type Results = ReturnType<typeof buildResults>;

/** The required keys, for a check that a file has every figure (no NaN, no missing scenario). */
export function missingFigures(r: Results): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: string) => {
    if (typeof v === 'number' && !Number.isFinite(v)) out.push(path);
    else if (v === null || v === undefined) out.push(path);
    else if (typeof v === 'object' && !(v instanceof Date)) for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
  };
  walk({ machine: r.machine, postgres: r.postgres, scenarios: r.scenarios, ratios: r.ratios, checks: r.checks }, '');
  return out;
}

export const fmt = (n: unknown) => (typeof n === 'number' ? (Number.isFinite(n) ? n.toLocaleString('en-US') : '—') : n === null || n === undefined ? '—' : String(n));

/** Rows as aligned columns: the first row is the header, the first column left-aligned. */
export function table(rows: readonly (readonly unknown[])[]): string {
  const cells = rows.map((r) => r.map(fmt));
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** The table printed at the end (and pasted into the README). */
export function renderTable(r: Results): string {
  const s = r.scenarios as Record<string, unknown>;
  const rows: unknown[][] = [['scenario', 'clients', 'per second', 'p50 ms', 'p99 ms', 'errors']];
  for (const [key, v] of Object.entries(s)) {
    if (!key.startsWith('pos_payment')) continue;
    const f = v as PosFigures;
    rows.push([key, f.clients, f.payments_per_s, f.p50_ms, f.p99_ms, f.errors]);
  }
  const d = (r as { details?: Record<string, Record<string, unknown>> }).details;
  const { card_topup: card, login, history_page: history } = r.scenarios;
  const notRun = (name: string) => [name, '', 'not run', '', '', ''];
  rows.push(card ? ['card_topup', d?.card_topup?.clients ?? '', card.topups_per_s, d?.card_topup?.p50_ms ?? '', card.p99_ms, card.errors] : notRun('card_topup'));
  rows.push(login ? ['login', d?.login?.clients ?? '', login.logins_per_s, d?.login?.p50_ms ?? '', d?.login?.p99_ms ?? '', d?.login?.errors ?? ''] : notRun('login'));
  rows.push(login ? ['argon2id verify (in-process)', d?.login?.argon2_threads ?? '', login.argon2_verifies_per_s, '', '', ''] : notRun('argon2id verify (in-process)'));
  rows.push(history
    ? [`history_page (${fmt(history.movements)} movements)`, d?.history_page?.clients ?? '', d?.history_page?.pages_per_s ?? '', d?.history_page?.p50_ms ?? '', history.p99_ms, d?.history_page?.errors ?? '']
    : notRun('history_page'));
  rows.push(['pgbench_tpcb', r.scenarios.pgbench_tpcb.clients, r.scenarios.pgbench_tpcb.tps, '', '', '']);
  const ratios = Object.entries(r.ratios).map(([k, v]) => `${k} ${fmt(v)}`).join(' · ');
  const checks = Object.entries(r.checks).map(([k, v]) => `${k} ${fmt(v)}`).join(' · ');
  return `${table(rows)}\n\nratios: ${ratios}\nchecks: ${checks}\n${r.when} · ${r.machine.cpus} cores, ${r.machine.memoryGiB} GiB · PostgreSQL ${r.postgres.version}`;
}
