/**
 * `npm run chaos` — a bank-style fault test (after Jepsen's bank test). Two Konpay
 * servers as production runs them share one PostgreSQL, reached through a TCP proxy
 * that can cut and stall connections; the card network (the simulator, in its own
 * process) sits behind a second proxy; mail goes to an SMTP server, SMS to a gateway and
 * merchant webhooks to a receiver, all in this process. Concurrent clients pay, top up
 * by card (with the issuer's SMS challenge) and with cash, cancel, refund and sign in
 * against either server, retrying with the same Idempotency-Key after errors and
 * timeouts. Meanwhile a fault injector, in turn: kills a server with SIGKILL (and starts
 * it again), restarts PostgreSQL, cuts every database connection, stalls them, makes
 * the card network time out, has the mail server refuse mail, and takes the merchant's
 * webhook endpoint down. Afterwards the faults stop, the service recovers, and `verify`
 * holds the database, the card network and the receivers to what the clients were told.
 * Writes bench/results/chaos.json; exits 1 on any violation.
 *
 *   npm run chaos                 # short: 90 s of load (part of npm test)
 *   npm run chaos -- --long       # 30 minutes, a fault every 6 s (≥ 20 of each kind)
 *   npm run chaos -- --seconds N  # N seconds of load
 */
import { randomInt } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { envSchema } from '../../src/config.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded.js';
import { loadMigrations, migrate } from '../../src/db/migrate.js';
import { createPool } from '../../src/db/pool.js';
import { argon2Hasher } from '../../src/identity/password.js';
import { newSecret, secretBytes } from '../../src/secrets.js';
import { systemClock } from '../../src/shared/clock.js';
import { createLogger } from '../../src/shared/logger.js';
import { addEndpoint } from '../../src/webhooks/endpoints.js';
import { CodeMaker } from '../lib/codes.js';
import { parseOptions } from '../lib/options.js';
import { baseEnv, build, freePort, ROOT, startNode, waitForHttp, type Child } from '../lib/processes.js';
import { benchPassword, seed } from '../lib/seed.js';
import { runCardSetup } from '../load/app.js';
import { closePools } from '../load/http.js';
import { SmsSink } from '../load/sms-sink.js';
import { FaultProxy } from './proxy.js';
import { SmtpSink, WebhookSink } from './sinks.js';
import { verify } from './verify.js';
import { Workload } from './workload.js';

const args = process.argv.slice(2);
const long = args.includes('--long');
const secondsArg = args.indexOf('--seconds');
const LOAD_S = secondsArg >= 0 ? Number(args[secondsArg + 1]) : long ? 1800 : 90;
const FAULT_EVERY_MS = long ? 6_000 : 2_500;
const CLIENTS = 12;
/** Konpay gives up on the card network after this; a stall of the network's proxy outlasts it. */
const CARD_NETWORK_TIMEOUT_MS = 2_000;
const FAULT_KINDS = ['server_kill', 'db_restart', 'connection_cut', 'db_stall', 'card_network_timeout', 'smtp_refusal', 'webhook_outage'] as const;
const started = Date.now();
const log = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

const cleanups: (() => Promise<unknown>)[] = [];
async function cleanup() {
  for (const fn of cleanups.reverse()) await fn().catch((err: unknown) => console.error(`cleanup: ${(err as Error).message}`));
}

/** A stock of fresh payment codes, refilled in the background; codes older than 4 minutes are dropped (they live 5). */
class CodeStock {
  #codes: { code: string; at: number }[] = [];
  constructor(private readonly maker: CodeMaker) {}
  take(): string | undefined {
    while (this.#codes.length && Date.now() - this.#codes[0]!.at > 240_000) this.#codes.shift();
    return this.#codes.shift()?.code;
  }
  get size() {
    return this.#codes.length;
  }
  /** New codes replace the stock: as in the app, a new code supersedes the device's older ones. */
  async refill(n: number): Promise<void> {
    const at = Date.now();
    this.#codes = (await this.maker.make(n)).map((code) => ({ code, at }));
  }
}

async function main(): Promise<number> {
  if (!Number.isFinite(LOAD_S) || LOAD_S <= 0) throw new Error('--seconds needs a positive number');
  log(`konpay chaos: ${LOAD_S} s of load, ${CLIENTS} clients, a fault every ${FAULT_EVERY_MS / 1000} s`);
  if (!args.includes('--no-build')) {
    log('npm run build');
    await build();
  }

  // PostgreSQL of our own, on a fixed port so it can be restarted under the proxy.
  const dir = await mkdtemp(join(tmpdir(), 'konpay-chaos-'));
  await chmod(dir, 0o755);
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const pgPort = await freePort();
  const pgPassword = newSecret();
  const startPg = () => startEmbeddedPostgres({
    dir: join(dir, 'pg'), password: pgPassword, database: 'konpay', port: pgPort, logger: createLogger({ level: 'warn', knownSecrets: [] }),
  });
  let pg: EmbeddedPostgres = await startPg();
  cleanups.push(() => pg.stop());
  const pool = createPool({ connectionString: pg.url, max: 4, applicationName: 'konpay-chaos' });
  pool.on('error', () => {}); // idle connections die with each restart; the next query opens a new one
  cleanups.push(() => pool.end());
  await migrate(pool, await loadMigrations());

  const secrets = { pepper: newSecret(), signing: newSecret(), encryption: newSecret() };
  const defaults = envSchema.parse({});
  const password = benchPassword();
  const argon2 = { memoryKib: defaults.ARGON2_MEMORY_KIB, iterations: defaults.ARGON2_ITERATIONS, parallelism: defaults.ARGON2_PARALLELISM };
  const o = { ...parseOptions([]), wallets: 400, movesPerWallet: 4, historyMovements: 10, stores: 6, loginUsers: 16, topupUsers: 24 };
  const seeded = await seed(pool, o, {
    encryptionKey: secretBytes(secrets.encryption), signingKey: secretBytes(secrets.signing),
    passwordHash: await argon2Hasher(secretBytes(secrets.pepper), argon2).hash(password), password,
    payableShards: defaults.MERCHANT_PAYABLE_SHARDS, feeBps: defaults.MERCHANT_FEE_BPS,
  }, () => {});
  log(`seeded: ${seeded.users} customers, ${seeded.terminals.length} terminals`);
  const codes = new CodeStock(new CodeMaker(pool, secretBytes(secrets.signing), seeded.payers, defaults.PAYMENT_CODE_TTL_SECONDS));
  await codes.refill(Math.min(20_000, LOAD_S * 40));

  const dbProxy = await FaultProxy.start({ host: '127.0.0.1', port: pgPort });
  cleanups.push(() => dbProxy.close());
  const dbUrl = new URL(pg.url);
  dbUrl.port = String(dbProxy.port);

  const logs = join(ROOT, 'bench', 'results', 'chaos-logs');
  await mkdir(logs, { recursive: true });
  const ports = [await freePort(), await freePort()];
  // One public address for both, as behind a load balancer: the issuer sends customers back to it.
  const publicUrl = `http://127.0.0.1:${ports[0]}`;

  // The world beyond Konpay: SMS gateway, mail server, the merchant's webhook endpoint, the card network.
  const smsToken = newSecret();
  const sms = new SmsSink(smsToken);
  const smsPort = await freePort();
  await sms.listen(smsPort);
  cleanups.push(() => sms.close());
  const smtp = new SmtpSink();
  const smtpUrl = await smtp.listen();
  cleanups.push(() => smtp.close());
  const hooks = new WebhookSink();
  const hookUrl = await hooks.listen();
  cleanups.push(() => hooks.close());
  // Added as an operator would (`POST /ops/v1/merchants/…/webhook-endpoints`), but over
  // plain http to this loopback receiver: the API takes only https in production.
  const endpoint = await addEndpoint({ pool, clock: systemClock, encryptionKey: secretBytes(secrets.encryption), httpsOnly: false }, { merchantId: seeded.merchantId, url: hookUrl });
  if (endpoint.kind !== 'created') throw new Error(`webhook endpoint: ${endpoint.kind}`);
  hooks.secret = endpoint.secret;
  const cardnetPort = await freePort();
  const cardnet = startNode('cardnet', 'bench/cardnet-sim.ts', {
    ...baseEnv(), DATABASE_URL: pg.url, KONPAY_SIGNING_KEY: secrets.signing, PUBLIC_URL: publicUrl, CARDNET_PORT: String(cardnetPort),
  }, join(logs, 'cardnet.log'));
  cleanups.push(() => cardnet.stop(5_000));
  const cardnetUrl = `http://127.0.0.1:${cardnetPort}`;
  await waitForHttp(cardnet, `${cardnetUrl}/openapi.json`, 60_000, join(logs, 'cardnet.log'));
  const cardnetProxy = await FaultProxy.start({ host: '127.0.0.1', port: cardnetPort });
  cleanups.push(() => cardnetProxy.close());

  const servers: (Child | undefined)[] = [undefined, undefined];
  const up = new Set<number>();
  const startServer = async (i: number) => {
    const base = `http://127.0.0.1:${ports[i]}`;
    const child = startNode(`konpay-${i}`, 'dist/main.js', {
      ...baseEnv(), NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(ports[i]), PUBLIC_URL: publicUrl, DATABASE_URL: dbUrl.toString(),
      KONPAY_PASSWORD_PEPPER: secrets.pepper, KONPAY_SIGNING_KEY: secrets.signing, KONPAY_ENCRYPTION_KEY: secrets.encryption,
      CARDNET: 'off', LOG_LEVEL: 'warn', LEDGER_SWEEP_MS: '2000', DATABASE_POOL_MAX: '8',
      CARD_NETWORK_URL: `http://127.0.0.1:${cardnetProxy.port}`, CARD_NETWORK_TIMEOUT_MS: String(CARD_NETWORK_TIMEOUT_MS), TOPUP_RECONCILE_MS: '2000', TOPUP_CHALLENGE_MINUTES: '1',
      SMTP_URL: smtpUrl, SMS_GATEWAY_URL: `http://127.0.0.1:${smsPort}/sms`, SMS_GATEWAY_TOKEN: smsToken, WEBHOOK_TIMEOUT_MS: '2000',
      // The merchant's receiver here is this machine's loopback, refused in production by default.
      WEBHOOK_PRIVATE_ADDRESSES: 'allow',
      // Limits have their own tests; here they would only turn the run's top-ups into refusals.
      LIMIT_CARD_TOPUP_24H_YEN: '100000000', LIMIT_CARD_TOPUP_30D_YEN: '1000000000', LIMIT_BALANCE_MAX_YEN: '1000000000',
    }, join(logs, `konpay-${i}.log`));
    servers[i] = child;
    await waitForHttp(child, `${base}/ready`, 60_000, join(logs, `konpay-${i}.log`));
    up.add(i);
  };
  await Promise.all([0, 1].map(startServer));
  cleanups.push(() => Promise.all(servers.map((s) => s?.stop(5_000))));
  log('two servers ready behind the database proxy');
  const setup = await runCardSetup({ kind: 'card_setup', baseUrl: publicUrl, cardnetUrl, clients: 8, users: seeded.topupUsers }, sms);
  if (setup.failures.length) throw new Error(`adding cards failed: ${setup.failures.slice(0, 3).join(' | ')}`);
  const holders = new Map(seeded.topupUsers.map((u) => [u.i, u]));
  const cardholders = setup.cards.map((c) => ({ token: holders.get(c.i)!.token, holderPhone: holders.get(c.i)!.holderPhone, cardId: c.cardId }));
  log(`${cardholders.length} cards added through the issuer's challenge`);

  const since = (await pool.query<{ now: Date }>('SELECT now()')).rows[0]!.now;
  const workload = new Workload({
    servers: () => [...up].map((i) => `http://127.0.0.1:${ports[i]}`),
    terminals: seeded.terminals.map((t) => ({ keyId: t.keyId, secret: t.secret, storeId: t.storeId })),
    code: () => codes.take(),
    logins: seeded.loginUsers, password, cardholders, sms,
  });

  const kinds = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<(typeof FAULT_KINDS)[number], number>;
  const until = Date.now() + LOAD_S * 1000;
  const injector = (async () => {
    let k = 0;
    while (Date.now() < until - 5_000) {
      await sleep(FAULT_EVERY_MS * (0.5 + Math.random()));
      if (Date.now() >= until - 5_000) break;
      const kind = FAULT_KINDS[k++ % FAULT_KINDS.length]!;
      kinds[kind]++;
      try {
        switch (kind) {
          case 'server_kill': {
            const i = randomInt(2);
            up.delete(i);
            servers[i]!.process.kill('SIGKILL');
            await sleep(300 + randomInt(1500));
            await startServer(i);
            break;
          }
          case 'db_restart':
            await pg.stop();
            await sleep(randomInt(1500));
            pg = await startPg();
            break;
          case 'connection_cut':
            dbProxy.cut();
            break;
          case 'db_stall':
            dbProxy.stall(500 + randomInt(3000));
            break;
          case 'card_network_timeout':
            // Requests made meanwhile reach the network late: Konpay has stopped waiting,
            // the network authorises anyway, and reconciliation must find out.
            cardnetProxy.stall(CARD_NETWORK_TIMEOUT_MS + 500 + randomInt(3000));
            break;
          case 'smtp_refusal':
            smtp.refuse(2_000 + randomInt(6_000));
            break;
          case 'webhook_outage':
            hooks.down(2_000 + randomInt(6_000));
            break;
        }
      } catch (err) {
        log(`fault injector: ${(err as Error).message}`);
      }
    }
  })();
  const refiller = (async () => {
    while (Date.now() < until) {
      await sleep(10_000);
      if (codes.size < 1500) await codes.refill(6000).catch(() => {}); // PostgreSQL may be down: try again later
    }
  })();
  const progress = setInterval(() => {
    const acked = workload.ops.filter((op) => op.final === 201 || op.final === 200).length;
    log(`  ${workload.ops.length} operations, ${acked} acknowledged · faults ${JSON.stringify(kinds)}`);
  }, 15_000);
  await workload.run(CLIENTS, until);
  clearInterval(progress);
  await Promise.all([injector, refiller]);

  // Recovery: every server up, then let the outbox and the sweepers finish. Messages whose
  // back-off put them past the wait are made due now, as an operator would after an incident.
  log('load done; recovering');
  await Promise.all([0, 1].filter((i) => !up.has(i)).map(startServer));
  smtp.refuse(0);
  hooks.down(0);
  await pool.query(`UPDATE outbox SET next_attempt_at = now() WHERE status = 'pending'`).catch(() => {});
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const { rows } = await pool.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM outbox WHERE status = 'pending') + (SELECT count(*) FROM card_topups WHERE status = 'processing') AS n`);
    if (Number(rows[0]!.n) === 0) break;
    await sleep(500);
  }
  await sleep(3_000); // a sweep of expired holds

  const violations = await verify(pool, workload.ops, since, { emails: smtp.messageIds, webhookEvents: hooks.eventIds, badWebhookSignatures: hooks.badSignatures });
  const acknowledged = workload.ops.filter((op) => typeof op.final === 'number' && op.final < 300).length;
  const faults = {
    server_kills: kinds.server_kill, db_restarts: kinds.db_restart, connection_cuts: kinds.connection_cut,
    other: kinds.db_stall + kinds.card_network_timeout + kinds.smtp_refusal + kinds.webhook_outage,
  };
  const result = {
    when: new Date().toISOString(), seconds: LOAD_S, operations: workload.ops.length, acknowledged, faults, violations, ok: violations.length === 0,
    details: {
      faults: kinds,
      card_topups: {
        told: countBy(workload.ops.filter((op) => op.kind === 'card_topup'), (op) => op.status ?? String(op.final)),
        // Top-ups whose outcome the reconciliation job had to find out from the network (a lost answer, an abandoned challenge).
        reconciled: Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM card_topups WHERE checks > 0 AND created_at >= $1`, [since])).rows[0]!.n),
      },
      receivers: {
        mail: { received: smtp.received, refused: smtp.refused }, webhooks: { received: hooks.received, refused: hooks.refused, bad_signatures: hooks.badSignatures },
        sms: { received: sms.received },
      },
      by_kind: Object.fromEntries((['payment', 'card_topup', 'cash_topup', 'cancel', 'refund', 'login'] as const).map((kind) => {
        const ops = workload.ops.filter((op) => op.kind === kind);
        return [kind, {
          operations: ops.length, answers: countBy(ops, (op) => String(op.final)),
          refusals: countBy(ops.filter((op) => op.reason), (op) => op.reason!), retried: ops.filter((op) => op.attempts.length > 1).length,
        }];
      })),
      proxy_connections: { database: dbProxy.stats.connections, card_network: cardnetProxy.stats.connections },
      unanswered_samples: workload.ops.filter((op) => op.final === 'gave_up').slice(0, 5).map((op) => ({ kind: op.kind, attempts: op.attempts.slice(0, 30) })),
    },
  };
  await writeFile(join(ROOT, 'bench', 'results', 'chaos.json'), JSON.stringify(result, null, 2) + '\n');
  log(`${result.operations} operations, ${acknowledged} acknowledged; faults ${JSON.stringify(kinds)}`);
  log(violations.length ? `VIOLATIONS:\n  ${violations.join('\n  ')}` : 'no violations');
  log('written: bench/results/chaos.json');
  return violations.length ? 1 : 0;
}

// Anything unexpected in this harness ends the run as a failure, without leaving servers,
// the simulator or PostgreSQL running behind it.
process.on('uncaughtException', (err) => {
  console.error('chaos harness failed:', err);
  void cleanup().finally(() => process.exit(2));
});

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

main().then(
  async (code) => {
    await closePools();
    await cleanup();
    process.exit(code);
  },
  async (err: unknown) => {
    console.error('chaos failed:', err);
    await cleanup();
    process.exit(2);
  },
);

