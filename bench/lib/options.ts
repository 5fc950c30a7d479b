/**
 * What a bench run does: `npm run bench` (quick), `npm run bench -- --full` or
 * `npm run bench -- --soak`. Pure, so the vitest test can check the presets and the
 * argument parser.
 */

export interface BenchOptions {
  mode: 'quick' | 'full';
  /** Customer wallets seeded (the history wallet is one of them). */
  wallets: number;
  /** Ledger transfers seeded per ordinary wallet (cash top-ups and past payments). */
  movesPerWallet: number;
  /** Movements of the one wallet whose history pages are measured. */
  historyMovements: number;
  stores: number;
  /** Users kept apart for the login scenario (known password, remembered device). */
  loginUsers: number;
  /** Users kept apart for card top-ups (each adds a card through the API first). */
  topupUsers: number;
  /** Seconds of each measured phase, and of the warm-up before it. */
  measureS: number;
  warmupS: number;
  /** The secondary scenarios (login, history, card top-up) may be shorter in the quick run. */
  secondaryMeasureS: number;
  /** pgbench -T. */
  pgbenchS: number;
  /** pgbench -s for -i. */
  pgbenchScale: number;
  /** Seconds of the in-process argon2id verification rate. */
  argon2S: number;
  cardClients: number;
  loginClients: number;
  historyClients: number;
  /** Concurrent POS clients of the two payment scenarios. */
  posClients: readonly number[];
  /** Skip `npm run build` and use dist/ as it is. */
  build: boolean;
  /** Keep the konpay_bench database (for a look afterwards) instead of dropping it. */
  keepDb: boolean;
  /**
   * `pos`: seeding, pgbench and the four payment scenarios only (no argon2 rate, login,
   * history or card top-up), written to partial.json so a quick iteration never
   * overwrites the committed full results. Unset: everything, to latest.json.
   */
  only?: 'pos';
  /**
   * `--soak`: after the 64-client payment phase that finds the peak, paced payments at
   * half of it for `minutes` (after a warm-up minute), watching memory; written to
   * soak.json. Quick size only, and nothing else is measured.
   */
  soak?: { minutes: number };
}

const QUICK: BenchOptions = {
  mode: 'quick', wallets: 100_000, movesPerWallet: 10, historyMovements: 100_000, stores: 1000,
  loginUsers: 64, topupUsers: 300, measureS: 20, warmupS: 5, secondaryMeasureS: 15, pgbenchS: 15, pgbenchScale: 10,
  argon2S: 8, cardClients: 32, loginClients: 8, historyClients: 4, posClients: [8, 64], build: true, keepDb: false,
};

const FULL: BenchOptions = {
  ...QUICK, mode: 'full', wallets: 1_000_000, topupUsers: 1000, measureS: 60, warmupS: 10, secondaryMeasureS: 60, pgbenchS: 30, argon2S: 20,
};

export const USAGE = `usage: npm run bench [-- options]
  --full                 the long run: 1,000,000 wallets, 10,000,000+ ledger entries, 60 s phases
  --wallets N            wallets to seed (default 100000 quick, 1000000 full)
  --measure S            seconds of each measured payment phase (default 20 quick, 60 full)
  --no-build             use dist/ as it is instead of running npm run build first
  --keep-db              leave the konpay_bench database (and the processes' logs) in place afterwards
  --only pos             seeding, pgbench and the four payment scenarios only (no login, history,
                         card top-up or argon2 rate); results to bench/results/partial.json
  --soak                 soak: the peak rate at 64 clients, then half of it on a schedule for
                         10 minutes after a warm-up minute, sampling memory every 10 s;
                         results to bench/results/soak.json (quick size only)
  --soak-minutes N       minutes of the soak after its warm-up minute (default 10; with --soak)
  DATABASE_URL=postgres://…  use that server (the bench makes and drops its own databases there);
                         unset: an embedded PostgreSQL in a temporary folder`;

export class UsageError extends Error {}

function positiveInt(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (!value || !Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} needs a positive whole number`);
  return n;
}

export function parseOptions(argv: readonly string[]): BenchOptions {
  const full = argv.includes('--full');
  const o: BenchOptions = { ...(full ? FULL : QUICK) };
  let soakMinutes: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    switch (a) {
      case '--full': break;
      case '--quick': if (full) throw new UsageError('--quick and --full together'); break;
      case '--wallets': o.wallets = positiveInt(a, argv[++i]); break;
      case '--measure': o.measureS = positiveInt(a, argv[++i]); o.secondaryMeasureS = Math.min(o.secondaryMeasureS, o.measureS); break;
      case '--no-build': o.build = false; break;
      case '--keep-db': o.keepDb = true; break;
      case '--only':
        if (argv[++i] !== 'pos') throw new UsageError(`--only takes pos (the payment scenarios)\n${USAGE}`);
        o.only = 'pos';
        break;
      case '--soak': o.soak = { minutes: 10 }; break;
      case '--soak-minutes': soakMinutes = positiveInt(a, argv[++i]); break;
      case '--help': case '-h': throw new UsageError(USAGE);
      default: throw new UsageError(`unknown option ${a}\n${USAGE}`);
    }
  }
  if (o.wallets < o.loginUsers + o.topupUsers + 1000) throw new UsageError(`--wallets must be at least ${o.loginUsers + o.topupUsers + 1000}`);
  if (soakMinutes !== undefined) {
    if (!o.soak) throw new UsageError('--soak-minutes goes with --soak');
    o.soak.minutes = soakMinutes;
  }
  // The soak is defined at the quick size, and its figures must not mix with a bench run's.
  if (o.soak && (full || o.only)) throw new UsageError('--soak runs at the quick size on its own: not with --full or --only');
  return o;
}

/**
 * Where a run's results go: a whole run is `latest.json` and also `quick.json` or
 * `full.json`, so each mode's last figures stay; a partial run (`partial.json`) and a
 * soak (`soak.json`) never overwrite them.
 */
export const resultsFiles = (o: Pick<BenchOptions, 'only' | 'mode' | 'soak'>): string[] =>
  o.soak ? ['soak.json'] : o.only ? ['partial.json'] : ['latest.json', `${o.mode}.json`];
