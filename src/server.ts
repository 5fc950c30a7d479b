/**
 * The composition root: config → database → adapters → services → HTTP. Nothing else
 * constructs dependencies; modules receive what they need.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import type pg from 'pg';
import type { DestinationStream } from 'pino';
import type { Config } from './config.js';
import { loadMigrations, migrate } from './db/migrate.js';
import { openDatabase, type DatabaseLocation } from './db/open.js';
import { createPool } from './db/pool.js';
import { buildApp, type App } from './http/app.js';
import { httpErrors } from './http/errors.js';
import { smtpSender } from './notify/adapters/smtp.js';
import { httpSmsSender } from './notify/adapters/sms-http.js';
import { webPushSender } from './notify/adapters/web-push.js';
import { devOutboxRoutes } from './notify/dev-outbox/routes.js';
import { Notifier, notifyHandlers, type ChannelSenders } from './notify/notifier.js';
import { Outbox } from './outbox/outbox.js';
import { OutboxWorker } from './outbox/worker.js';
import { systemClock, type Clock } from './shared/clock.js';
import { errorCatalogue } from './shared/errors.js';
import { createLogger, type Logger } from './shared/logger.js';
import { secretValues } from './secrets.js';
import { systemRoutes } from './system/routes.js';
import { type IdentityDeps, type LoginGuard, type SecondFactors } from './identity/deps.js';
import { identityErrors } from './identity/errors.js';
import { idempotencyErrors } from './idempotency/errors.js';
import { SecurityEvents } from './identity/events.js';
import { OneTimeCodes } from './identity/otp.js';
import { argon2Hasher, type PasswordHasher } from './identity/password.js';
import { makeDummyHash } from './identity/login.js';
import { authRoutes } from './identity/routes/auth.js';
import { meRoutes } from './identity/routes/me.js';
import { relyingPartyOf, type FactorDeps } from './identity/factors/deps.js';
import { passkeyLoginRoutes } from './identity/factors/login-routes.js';
import { factorRoutes } from './identity/factors/routes.js';
import { storedSecondFactors } from './identity/factors/second-factors.js';
import { pushRoutes } from './identity/routes/push.js';
import { walletRoutes } from './wallet/routes.js';
import { walletErrors } from './wallet/errors.js';
import { codesErrors } from './codes/errors.js';
import { codesRoutes } from './codes/routes.js';
import { posRoutes } from './pos/routes.js';
import { makePosAuthDeps } from './pos/verify.js';
import { posErrors } from './pos/errors.js';
import { cashErrors } from './cash/errors.js';
import { cashTopupRoutes } from './cash/routes.js';
import { paymentRoutes } from './payments/routes.js';
import { settlementOpsRoutes } from './settlement/routes.js';
import { settlementErrors } from './settlement/errors.js';
import { paymentErrors } from './payments/errors.js';
import { RiskEngine } from './risk/engine.js';
import { enginePaymentRisk } from './risk/payments.js';
import { riskErrors } from './risk/errors.js';
import { openCase } from './cases/open.js';
import { onCaseDecided } from './cases/registry.js';
import { heldTopupDecided } from './topups/held.js';
import { PendingSweeper } from './wallet/ledger/sweeper.js';
import { FlowSweeper } from './identity/flow-sweeper.js';
import { movementNoticeHandler } from './wallet/notices.js';
import { caseNoticeHandler } from './cases/notices.js';
import { compensationApprovals } from './cases/approvals.js';
import { claimRoutes } from './cases/claim-routes.js';
import type { CasesDeps } from './cases/deps.js';
import { caseErrors } from './cases/errors.js';
import { caseOpsRoutes } from './cases/routes.js';
import { AccountIds } from './wallet/ledger/accounts.js';
import { changeRoutes } from './identity/changes/routes.js';
import { reauthRoutes } from './identity/changes/reauth-routes.js';
import type { AccountDeps } from './identity/recovery/deps.js';
import { FreezeLinks } from './identity/freeze-links.js';
import { freezeRoutes } from './identity/recovery/freeze-routes.js';
import { recoveryRoutes } from './identity/recovery/routes.js';
import { buildThrottle } from './identity/throttle/build.js';
import { challengeRoutes } from './identity/throttle/routes.js';
import { Sessions } from './identity/sessions.js';
import { DeviceCredentials } from './identity/tokens.js';
import { secretBytes } from './secrets.js';
import { hmac } from './shared/crypto.js';
import { startCardnet, type Cardnet } from './cardnet/start.js';
import { cardErrors } from './cards/errors.js';
import { cardRoutes } from './cards/routes.js';
import type { CardsDeps } from './cards/deps.js';
import { offlineNetwork } from './cards/psp/offline.js';
import { simulatorClient } from './cards/psp/simulator-client.js';
import { Idempotency } from './idempotency/idempotency.js';
import { topupErrors } from './topups/errors.js';
import type { TopupsDeps } from './topups/deps.js';
import { TopupReconciler } from './topups/reconciler.js';
import { topupRoutes } from './topups/routes.js';
import { cardNetworkWebhookRoutes } from './topups/webhook-routes.js';
import { apiTokenAuthenticator, operatorAuthenticator } from './ops/http/auth.js';
import { consoleRoutes } from './ops/console/routes.js';
import type { ConsoleDeps } from './ops/console/customers.js';
import { customerLimitRoutes } from './ops/console/limits-routes.js';
import { approvalRoutes } from './ops/approvals/routes.js';
import { approvalErrors } from './ops/approvals/errors.js';
import { auditRoutes } from './ops/audit/routes.js';
import { consoleErrors } from './ops/console/errors.js';
import type { OperatorSignInDeps } from './operators/deps.js';
import { operatorAccountErrors } from './operators/errors.js';
import { consoleAuthenticator } from './operators/http-auth.js';
import { operatorSessionRoutes, operatorSignInRoutes } from './operators/routes.js';
import { OperatorSessions } from './operators/sessions.js';
import { OperatorSignInThrottle } from './operators/throttle.js';
import { operatorErrors } from './ops/http/errors.js';
import { operatorRoutes } from './ops/http/routes.js';
import { webhookTopicHandler } from './webhooks/delivery.js';
import { webhookTransport } from './webhooks/transport.js';
import { merchantEvents } from './webhooks/emit.js';
import { webhookErrors } from './webhooks/errors.js';
import { webhookOpsRoutes } from './webhooks/routes.js';
import { webRoutes } from './web/routes.js';
import { SwitchBoard } from './ops/switches/board.js';
import { switchErrors } from './ops/switches/errors.js';
import { switchOpsRoutes } from './ops/switches/routes.js';
import { OidcClients } from './identity/oidc/client.js';
import { oidcErrors } from './identity/oidc/errors.js';
import { externalIdentityRoutes, oidcRoutes } from './identity/oidc/routes.js';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Every module's closed error table; `/problems` documents exactly these. */
export const ERROR_MODULES = [httpErrors, identityErrors, idempotencyErrors, walletErrors, posErrors, codesErrors, cardErrors, topupErrors, cashErrors, paymentErrors, operatorErrors, webhookErrors, settlementErrors, switchErrors, operatorAccountErrors, consoleErrors, approvalErrors, oidcErrors, riskErrors, caseErrors] as const;

export interface Konpay {
  readonly app: App;
  readonly pool: pg.Pool;
  readonly logger: Logger;
  readonly notifier: Notifier;
  /** The transactional outbox; services that emit merchant events (src/webhooks/emit.ts) need it. */
  readonly outbox: Outbox;
  readonly worker: OutboxWorker;
  readonly sweeper: PendingSweeper;
  /** Resolves card top-ups in flight (lost answers, lapsed challenges). */
  readonly reconciler: TopupReconciler;
  readonly identity: IdentityDeps;
  /** This process's copy of the kill switches (OPS-1), polled from the database. */
  readonly switches: SwitchBoard;
  /** The in-process card network simulator, when enabled. */
  readonly cardnet: Cardnet | undefined;
  /** Base URL the server listens on (after `listen`). */
  url: string;
  listen(): Promise<string>;
  /** Graceful stop: refuse new requests, finish in-flight ones, drain, close the database. */
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  /** A logger made earlier by the caller (main); else one is made here. */
  logger?: Logger;
  /** A database already located or started by the caller (main starts it while code loads). */
  database?: DatabaseLocation;
  logDestination?: DestinationStream;
  /** Overrides for the channel senders (tests). */
  senders?: ChannelSenders;
  /** Start the background jobs: the outbox worker, the ledger sweeper, the top-up reconciler and the simulator's timer (default true). */
  worker?: boolean;
  /** The password hasher (tests wrap it to count verifications). */
  hasher?: PasswordHasher;
  /** Overrides for identity collaborators (tests). */
  factors?: SecondFactors;
  guard?: LoginGuard;
  /** Key prefix of the throttle counters in Redis, when REDIS_URL is set (tests give each run its own). */
  redisPrefix?: string;
  /** Extra route plugins, registered last (tests use this to add probes). */
  routes?: readonly FastifyPluginAsync[];
  /** Extra plugins inside the signed POS plugin (tests add probes there). */
  posRoutes?: readonly FastifyPluginAsync[];
}

export async function startKonpay(config: Config, opts: StartOptions = {}): Promise<Konpay> {
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? createLogger({ level: config.logLevel, knownSecrets: secretValues(config.secrets), destination: opts.logDestination });
  const { url: databaseUrl, embedded } = opts.database ?? (await openDatabase(config, logger));

  const pool = createPool({ connectionString: databaseUrl, max: config.db.poolMax });
  const migrations = await loadMigrations();
  const { applied } = await migrate(pool, migrations);
  if (applied.length) logger.info({ applied }, 'migrations applied');

  const smtp = config.notify.smtpUrl ? smtpSender(config.notify.smtpUrl, config.notify.mailFrom) : undefined;
  const senders: ChannelSenders = opts.senders ?? {
    email: smtp,
    sms: config.notify.sms ? httpSmsSender(config.notify.sms) : undefined,
    push: config.notify.vapid ? webPushSender(config.notify.vapid) : undefined,
  };
  const encryptionKey = secretBytes(config.secrets.encryptionKey);
  const signingKey = secretBytes(config.secrets.signingKey);
  const freezeLinks = new FreezeLinks(signingKey, config.http.publicUrl);
  const webhooks = webhookTransport({ timeoutMs: config.webhooks.timeoutMs, publicOnly: config.webhooks.publicOnly });
  const outbox: Outbox = new Outbox([
    ...notifyHandlers({ senders, devOutbox: config.notify.devOutbox ? { pool, clock } : undefined, logger }),
    movementNoticeHandler({ pool, freezeLinks, notifier: () => notifier }),
    caseNoticeHandler({ pool, notifier: () => notifier, publicUrl: config.http.publicUrl }),
    webhookTopicHandler({ pool, clock, logger, encryptionKey, transport: webhooks }),
  ], clock);
  const notifier = new Notifier(outbox);
  const worker = new OutboxWorker({ pool, outbox, clock, logger, ...config.outbox });

  const throttle = buildThrottle({ settings: config.throttle, signingKey, pool, logger, redisUrl: config.redisUrl, ...(opts.redisPrefix === undefined ? {} : { redisPrefix: opts.redisPrefix }) });
  const factorKeys = { encryptionKey: secretBytes(config.secrets.encryptionKey), signingKey };
  const hasher = opts.hasher ?? argon2Hasher(secretBytes(config.secrets.passwordPepper), config.identity.argon2);
  // The risk engine (RISK-1): one instance, its policy from configuration; holds become cases.
  const riskPool = createPool({ connectionString: databaseUrl, max: 4, applicationName: 'konpay-risk' });
  const risk = new RiskEngine({ ownPool: riskPool, policy: config.risk.policy, paymentAllowSample: config.risk.paymentAllowSample, random: Math.random, openCase, logger });
  const identity: IdentityDeps = {
    pool, clock, logger, notifier, hasher, risk,
    dummyHash: await makeDummyHash(hasher),
    codes: new OneTimeCodes(signingKey),
    sessions: new Sessions({ idleMs: config.identity.sessionIdleMs, absoluteMs: config.identity.sessionAbsoluteMs }, signingKey),
    devices: new DeviceCredentials(signingKey),
    events: new SecurityEvents(notifier, config.http.publicUrl, freezeLinks),
    factors: opts.factors ?? storedSecondFactors(factorKeys, { rp: relyingPartyOf(config.http.publicUrl), logger }),
    guard: opts.guard ?? throttle.guard,
    sends: throttle.sends,
    restrictedModeMs: config.identity.restrictedModeMs,
  };
  const secureCookies = config.http.publicUrl.startsWith('https://');
  const auth = { pool, clock, sessions: identity.sessions, secureCookies, privilegedWindowMs: config.identity.privilegedWindowMs };
  // WebAuthn's RP ID and origin are the public URL's hostname and origin.
  const factorDeps: FactorDeps = { ...identity, keys: factorKeys, rp: relyingPartyOf(config.http.publicUrl) };
  // Recovery, privileged changes and "this wasn't me" links (recovery/, changes/).
  const accountDeps: AccountDeps = { ...identity, freezeLinks };
  const oidcDeps = { ...identity, oidc: new OidcClients(config.oidcProviders, config.http.publicUrl, logger) };
  // Operators' console sign-in (src/operators/): the customers' hasher and counter store, their own sessions.
  const operatorDeps: OperatorSignInDeps = {
    pool, clock, hasher, dummyHash: identity.dummyHash, encryptionKey,
    sessions: new OperatorSessions(config.operatorSessions, signingKey),
    throttle: new OperatorSignInThrottle(throttle.store, signingKey),
  };

  // The card network's webhooks are signed with this; the simulator and Konpay share it.
  const cardWebhookSecret = config.cardnet.webhookSecret ?? hmac(signingKey, 'cardnet-webhook').toString('hex');
  // The card network simulator, where a real PSP would be (never in production).
  const cardnet = config.cardnet.enabled
    ? await startCardnet({
        pool, clock, logger, notifier,
        keys: { fingerprint: hmac(signingKey, 'cardnet-fingerprint-key') },
        host: config.cardnet.host, port: config.cardnet.port, publicUrl: config.cardnet.publicUrl,
        allowedReturnOrigins: [new URL(config.http.publicUrl).origin],
        webhook: { url: config.cardnet.webhookUrl ?? `${config.http.publicUrl}/v1/webhooks/card-network`, secret: cardWebhookSecret },
        timeoutDelayMs: config.cardnet.timeoutDelayMs,
        tickMs: opts.worker === false ? 0 : 5_000,
      })
    : undefined;
  if (cardnet) logger.info({ url: cardnet.url }, 'card network simulator listening');
  const cardNetworkUrl = config.cards.networkUrl ?? cardnet?.url;
  const psp = cardNetworkUrl ? simulatorClient({ baseUrl: cardNetworkUrl, timeoutMs: config.cards.networkTimeoutMs }) : offlineNetwork();
  const cardsDeps: CardsDeps = {
    pool, clock, logger, psp, events: identity.events, publicUrl: config.http.publicUrl,
    // Browsers reach the network at its public URL, which may differ from the one we call.
    cardFormBase: config.cardnet.publicUrl ?? cardNetworkUrl,
    rules: { ...config.cards, challengeMs: config.cards.challengeMs }, risk,
  };
  const topupsDeps: TopupsDeps = {
    pool, clock, logger, psp, notifier, events: identity.events, limits: config.limits,
    publicUrl: config.http.publicUrl, challengeMs: config.cards.challengeMs, risk,
  };
  // An analyst's decision on a held top-up releases or refuses it (src/topups/held.ts).
  onCaseDecided('topup', heldTopupDecided(topupsDeps));
  const reconciler = new TopupReconciler(topupsDeps, config.cards.reconcileEveryMs);
  // Signed POS requests: this server's own terminal cache and nonce batcher; the operator
  // API below tells the cache of the changes it makes (src/pos/terminal-cache.ts).
  // Kill switches (OPS-1): read once before serving, then polled (src/ops/switches/board.ts).
  const switches = new SwitchBoard({ pool, logger });
  await switches.refresh();
  const posAuth = makePosAuthDeps({ pool, clock, encryptionKey, clockSkewSeconds: config.pos.clockSkewSeconds, terminalCacheMs: config.pos.terminalCacheMs });

  // Cases and claims (RISK-2, OPS-3); large compensations wait for a second operator.
  const casesDeps: CasesDeps = { pool, clock, compensationApprovalYen: config.cases.compensationApprovalYen, approvals: compensationApprovals(clock) };
  // The console's customer pages; unfreezes and limit raises wait for a second operator (OPS-2).
  const consoleDeps: ConsoleDeps = {
    pool, clock, limits: config.limits, events: identity.events,
    unfreezeApproval: { minBalanceYen: config.approvals.unfreezeMinBalanceYen, ttlMs: config.approvals.ttlMs },
    limitsApproval: { raiseThresholdYen: config.approvals.limitRaiseYen, ttlMs: config.approvals.ttlMs },
  };
  const app = await buildApp({
    logger,
    publicUrl: config.http.publicUrl,
    bodyLimit: config.http.bodyLimit,
    version: VERSION,
    trustedProxies: config.trustedProxies,
    routes: [
      systemRoutes({ pool, migrations, catalogue: errorCatalogue(ERROR_MODULES) }),
      authRoutes(identity, { secureCookies, switches }),
      challengeRoutes({ pow: throttle.pow, limit: throttle.challenges }, clock),
      meRoutes(identity, auth),
      factorRoutes(factorDeps, auth),
      passkeyLoginRoutes(factorDeps, { secureCookies }),
      pushRoutes(identity, auth),
      walletRoutes({ pool, clock, limits: config.limits, auth }),
      claimRoutes(casesDeps, auth),
      cardRoutes(cardsDeps, auth),
      topupRoutes(topupsDeps, auth, new Idempotency(pool, clock), switches),
      cardNetworkWebhookRoutes(topupsDeps, cardWebhookSecret),
      // Signed POS API (PAY-2); later POS route plugins go in posRoutes' list (src/pos/routes.ts).
      posRoutes(posAuth, [
        cashTopupRoutes({ clock, limits: config.limits, signingKey, notifier, publicUrl: config.http.publicUrl }, new Idempotency(pool, clock), switches),
        paymentRoutes({
          pool, clock, logger, limits: config.limits, signingKey, notifier, publicUrl: config.http.publicUrl,
          rules: config.payments, risk: enginePaymentRisk(risk, notifier), merchantEvents: merchantEvents(outbox), accounts: new AccountIds(),
        }, new Idempotency(pool, clock), config.payments.batch, switches),
        ...(opts.posRoutes ?? []),
      ]),
      recoveryRoutes(accountDeps, { secureCookies }),
      freezeRoutes(accountDeps),
      reauthRoutes(accountDeps, auth),
      // External ID sign-in (ID-12, src/identity/oidc/): OpenID Connect providers from OIDC_PROVIDERS.
      oidcRoutes(oidcDeps, { secureCookies, publicUrl: config.http.publicUrl, starts: throttle.oidcStarts }),
      externalIdentityRoutes(oidcDeps, auth),
      changeRoutes(accountDeps, auth),
      codesRoutes({ ...identity, signingKey, policy: config.codes }, auth),
      ...(config.notify.devOutbox ? [devOutboxRoutes(pool)] : []),
      // Operator API (src/ops/http/): the machine token (when set) or a console session;
      // later operator route plugins go in its list. Sign-in itself is outside it.
      operatorSignInRoutes(operatorDeps, { secureCookies }),
      operatorRoutes({
        authenticate: operatorAuthenticator({
          token: config.secrets.operatorApiToken ? apiTokenAuthenticator(config.secrets.operatorApiToken) : undefined,
          console: consoleAuthenticator(operatorDeps),
        }),
        merchants: { pool, clock, encryptionKey, onChainChange: (c) => posAuth.terminals.forget(c) },
        audit: { pool, clock },
      }, [
        operatorSessionRoutes(operatorDeps, { secureCookies }),
        consoleRoutes(consoleDeps),
        customerLimitRoutes(consoleDeps),
        approvalRoutes({ pool, clock }),
        auditRoutes({ pool }),
        webhookOpsRoutes({ pool, clock, outbox, encryptionKey, httpsOnly: config.webhooks.httpsOnly, publicOnly: config.webhooks.publicOnly }),
        settlementOpsRoutes({ pool, clock }),
        switchOpsRoutes({ pool, clock, onChange: () => switches.refresh() }),
        caseOpsRoutes(casesDeps),
      ]),
      // The wallet, POS and console front ends (web/, built by `npm run build:web`).
      webRoutes(),
      ...(opts.routes ?? []),
    ],
  });
  await app.ready();
  // Where the operator token is, never what it is.
  if (config.operatorApi?.tokenSource === 'secrets-file') logger.info({ file: join(config.dataDir, 'secrets.json'), field: 'operatorApiToken' }, 'operator API on; its token is in the secrets file');
  else if (!config.operatorApi) logger.info('operator API token off: OPERATOR_API_TOKEN is not set; only console sessions get in');
  const sweeper = new PendingSweeper({ pool, clock, logger, everyMs: config.ledgerSweepMs });
  const flowSweeper = new FlowSweeper({ pool, clock, logger, everyMs: config.flowSweepMs });
  if (opts.worker !== false) {
    worker.start();
    sweeper.start();
    reconciler.start();
    flowSweeper.start();
  }
  // Always, background jobs or not: a server that stopped polling would miss switches.
  switches.start();


  let closing: Promise<void> | undefined;
  const konpay: Konpay = {
    app, pool, logger, notifier, outbox, worker, sweeper, reconciler, identity, cardnet, switches,
    url: '',
    async listen() {
      konpay.url = await app.listen({ host: config.http.host, port: config.http.port });
      return konpay.url;
    },
    close() {
      closing ??= (async () => {
        await app.close();
        await switches.stop();
        await cardnet?.close();
        await flowSweeper.stop();
        await reconciler.stop();
        await sweeper.stop();
        await worker.stop();
        await webhooks.close();
        smtp?.close();
        await throttle.store.close();
        await riskPool.end();
        await pool.end();
        await embedded?.stop();
      })();
      return closing;
    },
  };
  return konpay;
}
