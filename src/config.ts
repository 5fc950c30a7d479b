/**
 * Configuration: parsed from the environment once, validated with zod and frozen.
 * Nothing else in Konpay reads `process.env`; the composition root passes this object
 * (or the part a module needs) down.
 */
import { z } from 'zod';
import { resolve } from 'node:path';
import { isIP } from 'node:net';
import { deepFreeze } from './shared/freeze.js';
import type { ThrottleSettings } from './identity/throttle/policy.js';
import { loadOrCreateSecrets, parseSecret, type Secrets } from './secrets.js';
import type { Limits } from './wallet/limits.js';
import { parseRiskPolicy } from './risk/policy-config.js';
import type { RiskPolicy } from './risk/policy.js';
import { checkKana } from './settlement/kana.js';
import type { Remitter } from './settlement/zengin.js';
import { parseOidcProviders, type OidcProviderConfig } from './identity/oidc/config.js';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
/** A trusted proxy as Fastify (proxy-addr) reads it: an address, a CIDR, or a named range. */
const proxyEntry = (v: string) => ['loopback', 'linklocal', 'uniquelocal'].includes(v) || (/^[^/]+(\/\d{1,3})?$/.test(v) && isIP(v.split('/')[0]!) !== 0);
const csv = (v: string) => v.split(',').map((x) => x.trim()).filter(Boolean);
/** A name field of the Zengin payout file: half-width katakana, digits, A-Z, a few symbols. */
const kana = (max: number) => z.string().superRefine((v, ctx) => {
  const c = checkKana(v, max);
  if (!c.ok) ctx.addIssue({ code: 'custom', message: c.reason });
});
const PAYOUT_KEYS = ['PAYOUT_REMITTER_CODE', 'PAYOUT_REMITTER_NAME', 'PAYOUT_BANK_CODE', 'PAYOUT_BANK_NAME', 'PAYOUT_BRANCH_CODE', 'PAYOUT_BRANCH_NAME', 'PAYOUT_ACCOUNT_TYPE', 'PAYOUT_ACCOUNT_NUMBER'] as const;
/** A fictitious remitter for development and tests (bank 9999 does not exist). */
const DEV_REMITTER = {
  PAYOUT_REMITTER_CODE: '1234567890', PAYOUT_REMITTER_NAME: 'ｺﾝﾍﾟｲ(ｶ', PAYOUT_BANK_CODE: '9999', PAYOUT_BANK_NAME: 'ﾃｽﾄｷﾞﾝｺｳ',
  PAYOUT_BRANCH_CODE: '001', PAYOUT_BRANCH_NAME: 'ﾎﾝﾃﾝ', PAYOUT_ACCOUNT_TYPE: '1', PAYOUT_ACCOUNT_NUMBER: '0000001',
} as const;

/** Every setting with its default. The README's configuration table mirrors this list. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(0, 65535).default(3000),
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  DATABASE_POOL_MAX: int(1, 500).default(10),
  KONPAY_DATA_DIR: z.string().min(1).default('./data'),
  BODY_LIMIT_BYTES: int(1024, 16 * 1024 * 1024).default(1024 * 1024),
  SHUTDOWN_GRACE_MS: int(0, 120_000).default(10_000),
  OUTBOX_POLL_MS: int(10, 60_000).default(250),
  OUTBOX_BATCH_SIZE: int(1, 1000).default(20),
  OUTBOX_LEASE_MS: int(1000, 3_600_000).default(60_000),
  LEDGER_SWEEP_MS: int(0, 3_600_000).default(30_000),
  AUTH_FLOW_SWEEP_MS: int(0, 86_400_000).default(60_000),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
  MAIL_FROM: z.string().min(3).default('Konpay <no-reply@konpay.localhost>'),
  SMS_GATEWAY_URL: z.url().optional(),
  SMS_GATEWAY_TOKEN: z.string().min(1).optional(),
  SMS_SENDER_ID: z.string().min(1).max(11).default('Konpay'),
  VAPID_PUBLIC_KEY: z.string().min(1).optional(),
  VAPID_PRIVATE_KEY: z.string().min(1).optional(),
  VAPID_SUBJECT: z.string().min(1).default('mailto:security@konpay.localhost'),
  DEV_OUTBOX: bool.optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').optional(),
  TRUSTED_PROXIES: z.string().default('').refine((v) => csv(v).every(proxyEntry), 'must be comma-separated IP addresses or CIDRs'),
  // Login throttle and code-send budgets (ID-3, ID-5); why these defaults: src/identity/throttle/policy.ts.
  LOGIN_FREE_FAILURES_PER_ACCOUNT: int(1, 1000).default(10),
  LOGIN_FREE_FAILURES_PER_ACCOUNT_IP: int(1, 1000).default(5),
  LOGIN_FREE_FAILURES_PER_IP: int(1, 100_000).default(30),
  LOGIN_FIRST_DELAY_MS: int(1, 60_000).default(1000),
  LOGIN_MAX_DELAY_SECONDS: int(1, 86_400).default(900),
  LOGIN_MAX_CONSECUTIVE_FAILURES: int(1, 100).default(100), // SPEC ID-5: never more than 100
  LOGIN_FORGET_ACCOUNT_FAILURES_HOURS: int(1, 24 * 365).default(24 * 30),
  LOGIN_FORGET_IP_FAILURES_HOURS: int(1, 24 * 30).default(24),
  LOGIN_BREAKER_FAILURES_PER_MINUTE: int(1, 10_000_000).default(300),
  LOGIN_POW_COST: int(1, 1_000_000).default(5000),
  LOGIN_POW_MAX_NUMBER: int(2, 10_000_000).default(10_000),
  LOGIN_POW_TTL_SECONDS: int(30, 3600).default(300),
  CODE_SENDS_PER_DESTINATION_PER_HOUR: int(1, 10_000).default(5),
  CODE_SENDS_PER_IP_PER_HOUR: int(1, 1_000_000).default(30),
  SMS_SENDS_PER_HOUR: int(1, 100_000_000).default(50_000),
  OIDC_STARTS_PER_IP_PER_HOUR: int(1, 1_000_000).default(60),
  LOGIN_CHALLENGES_PER_IP_PER_MINUTE: int(1, 1_000_000).default(30),
  ARGON2_MEMORY_KIB: int(1024, 4 * 1024 * 1024).default(19_456),
  ARGON2_ITERATIONS: int(1, 20).default(2),
  ARGON2_PARALLELISM: int(1, 16).default(1),
  SESSION_IDLE_MINUTES: int(5, 60 * 24 * 90).default(60 * 24 * 7),
  SESSION_ABSOLUTE_HOURS: int(1, 24 * 365).default(24 * 30),
  PRIVILEGED_WINDOW_SECONDS: int(30, 3600).default(300),
  RESTRICTED_MODE_HOURS: int(0, 24 * 30).default(24),
  POS_CLOCK_SKEW_SECONDS: int(1, 300).default(300), // SPEC PAY-2: never more than 5 minutes
  // How long a server trusts its copy of a terminal's row (src/pos/terminal-cache.ts); 0: no cache.
  POS_TERMINAL_CACHE_MS: int(0, 60_000).default(1000),
  MERCHANT_FEE_BPS: int(0, 10_000).default(250),
  MERCHANT_PAYABLE_SHARDS: int(1, 256).default(16),
  PAYMENT_BATCH_MAX: int(1, 1000).default(64),
  PAYMENT_BATCH_LANES: int(1, 16).default(2),
  POS_UNKNOWN_CODES_PER_WINDOW: int(1, 10_000).default(10),
  POS_UNKNOWN_CODES_WINDOW_MINUTES: int(1, 24 * 60).default(10),
  // The risk engine (RISK-1): threshold overrides as JSON (src/risk/policy-config.ts) and
  // the share of allowed payments kept in the decision log.
  RISK_POLICY: z.string().optional(),
  RISK_PAYMENT_ALLOW_SAMPLE: z.coerce.number().min(0).max(1).default(0.01),
  CARDNET: z.enum(['in-process', 'off']).optional(),
  CARDNET_HOST: z.string().min(1).optional(),
  CARDNET_PORT: int(0, 65535).default(3100),
  CARDNET_PUBLIC_URL: z.url().optional(),
  CARDNET_WEBHOOK_URL: z.url().optional(),
  CARDNET_WEBHOOK_SECRET: z.string().min(16).optional(),
  CARDNET_TIMEOUT_DELAY_MS: int(0, 600_000).default(30_000),
  CARD_NETWORK_URL: z.url().optional(),
  CARD_NETWORK_TIMEOUT_MS: int(50, 120_000).default(10_000),
  CARDS_PER_ACCOUNT: int(1, 20).default(3),
  CARD_CVC_FAILURES_PER_CARD: int(1, 100).default(3),
  CARD_CVC_FAILURES_PER_ACCOUNT: int(1, 100).default(5),
  CARD_CVC_WINDOW_HOURS: int(1, 24 * 30).default(24),
  TOPUP_CHALLENGE_MINUTES: int(1, 120).default(15),
  TOPUP_RECONCILE_MS: int(0, 3_600_000).default(5_000),
  LIMIT_CARD_TOPUP_MIN_YEN: int(1, 10_000_000).default(1000),
  LIMIT_CARD_TOPUP_MAX_YEN: int(1, 10_000_000).default(30_000),
  LIMIT_CARD_TOPUP_24H_YEN: int(1, 100_000_000).default(50_000),
  LIMIT_CARD_TOPUP_30D_YEN: int(1, 1_000_000_000).default(200_000),
  LIMIT_CASH_TOPUP_STEP_YEN: int(1, 100_000).default(1000),
  LIMIT_CASH_TOPUP_MAX_YEN: int(1, 10_000_000).default(49_000),
  LIMIT_BALANCE_MAX_YEN: int(1, 1_000_000_000).default(100_000),
  LIMIT_PAYMENT_MAX_YEN: int(1, 10_000_000).default(50_000),
  LIMIT_PAYMENT_24H_YEN: int(1, 100_000_000).default(100_000),
  LIMIT_RESTRICTED_PAYMENT_24H_YEN: int(0, 10_000_000).default(5000),
  // Payment codes (PAY-1): valid at most 5 minutes, refreshed every minute, made only soon after an unlock.
  PAYMENT_CODE_TTL_SECONDS: int(30, 300).default(300),
  PAYMENT_CODE_REFRESH_SECONDS: int(10, 300).default(60),
  UNLOCK_WINDOW_SECONDS: int(30, 300).default(300),
  // Konpay as the remitter of payout files (PAY-4, Zengin 総合振込); dev defaults outside production.
  PAYOUT_REMITTER_CODE: z.string().regex(/^\d{10}$/, 'must be 10 digits').optional(),
  PAYOUT_REMITTER_NAME: kana(40).optional(),
  PAYOUT_BANK_CODE: z.string().regex(/^\d{4}$/, 'must be 4 digits').optional(),
  PAYOUT_BANK_NAME: kana(15).optional(),
  PAYOUT_BRANCH_CODE: z.string().regex(/^\d{3}$/, 'must be 3 digits').optional(),
  PAYOUT_BRANCH_NAME: kana(15).optional(),
  PAYOUT_ACCOUNT_TYPE: z.enum(['1', '2']).optional(),
  PAYOUT_ACCOUNT_NUMBER: z.string().regex(/^\d{7}$/, 'must be 7 digits').optional(),
  KONPAY_PASSWORD_PEPPER: z.string().optional(),
  KONPAY_SIGNING_KEY: z.string().optional(),
  KONPAY_ENCRYPTION_KEY: z.string().optional(),
  // The operator API's machine credential (src/ops/http/); without it only console sessions get in.
  OPERATOR_API_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  // Console sessions of operators (src/operators/): short, since they reach every customer's data.
  OPERATOR_SESSION_IDLE_MINUTES: int(1, 24 * 60).default(30),
  OPERATOR_SESSION_HOURS: int(1, 24).default(12),
  // Two-operator approvals (OPS-2, src/ops/approvals/): unfreezing a wallet holding at least
  // this many yen needs a second operator (0: every unfreeze does); requests wait this long.
  APPROVAL_UNFREEZE_MIN_BALANCE_YEN: int(0, 100_000_000).default(0),
  APPROVAL_TTL_HOURS: int(1, 24 * 7).default(24),
  // Raising a customer's limit (src/ops/console/limits.ts) to more than this many yen above
  // its default needs a second operator (0: every raise above the default does).
  APPROVAL_LIMIT_RAISE_YEN: int(0, 100_000_000).default(0),
  // Merchant webhooks (PAY-3): an answer slower than this counts as none, and is retried.
  WEBHOOK_TIMEOUT_MS: int(100, 60_000).default(10_000),
  // Merchants' receivers inside a private network (an on-premises integration, a staging
  // rig): production refuses private addresses unless told they are expected.
  WEBHOOK_PRIVATE_ADDRESSES: z.enum(['allow', 'refuse']).optional(),
  // External ID sign-in (ID-12, src/identity/oidc/config.ts): a JSON array of providers.
  OIDC_PROVIDERS: z.string().optional(),
  // Compensation for unauthorised use (OPS-3, src/cases/): above this many yen a second operator approves.
  APPROVAL_COMPENSATION_YEN: int(0, 100_000_000).default(10_000),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  /** The risk engine's thresholds and decision-log sampling (RISK-1). */
  readonly risk: { readonly policy: RiskPolicy; readonly paymentAllowSample: number };
  readonly env: Env['NODE_ENV'];
  readonly production: boolean;
  readonly http: {
    readonly host: string;
    readonly port: number;
    readonly publicUrl: string;
    readonly bodyLimit: number;
    readonly shutdownGraceMs: number;
  };
  readonly logLevel: Env['LOG_LEVEL'];
  /** `databaseUrl` absent means: run the embedded PostgreSQL server in `dataDir`. */
  readonly db: { readonly databaseUrl: string | undefined; readonly poolMax: number };
  readonly dataDir: string;
  readonly outbox: { readonly pollMs: number; readonly batchSize: number; readonly leaseMs: number };
  /** How often expired pending transfers are voided (0: never, for tests that drive it). */
  readonly ledgerSweepMs: number;
  /** How often each server deletes auth flows a day past their expiry (0: never). */
  readonly flowSweepMs: number;
  readonly notify: {
    readonly smtpUrl: string | undefined;
    readonly mailFrom: string;
    readonly sms: { readonly url: string; readonly token: string | undefined; readonly senderId: string } | undefined;
    readonly vapid: { readonly publicKey: string; readonly privateKey: string; readonly subject: string } | undefined;
    /** The development outbox keeps a readable copy of every message; never in production. */
    readonly devOutbox: boolean;
  };
  readonly identity: {
    readonly argon2: { readonly memoryKib: number; readonly iterations: number; readonly parallelism: number };
    readonly sessionIdleMs: number;
    readonly sessionAbsoluteMs: number;
    /** How recent the last (re)authentication must be for privileged changes (ID-8). */
    readonly privilegedWindowMs: number;
    /** Cooling-off after recovery, a new device or a contact change (ID-10). */
    readonly restrictedModeMs: number;
  };
  /** The card-network simulator: run in-process by default outside production. */
  readonly cardnet: {
    readonly enabled: boolean;
    readonly host: string;
    readonly port: number;
    readonly publicUrl: string | undefined;
    readonly webhookUrl: string | undefined;
    readonly webhookSecret: string | undefined;
    /** How long the network-timeout test card holds its answer back. */
    readonly timeoutDelayMs: number;
  };
  /** Cards and card top-ups (WAL-3): the card network Konpay talks to and its own rules. */
  readonly cards: {
    /** The card network's base URL; defaults to the in-process simulator. */
    readonly networkUrl: string | undefined;
    /** Past this an answer from the card network counts as lost (reconciled later). */
    readonly networkTimeoutMs: number;
    readonly perAccount: number;
    readonly cvcFailuresPerCard: number;
    readonly cvcFailuresPerAccount: number;
    readonly cvcWindowMs: number;
    /** A top-up whose 3-D Secure challenge is not completed in this time is canceled. */
    readonly challengeMs: number;
    /** How often the reconciliation job looks at top-ups in flight (0: never, tests drive it). */
    readonly reconcileEveryMs: number;
  };
  /** Wallet limits (WAL-5) and the restricted-mode cap (ID-10), in yen. */
  readonly limits: Limits;
  /** Payment codes and app unlock (PAY-1). */
  readonly codes: { readonly ttlMs: number; readonly refreshMs: number; readonly unlockWindowMs: number };
  /** Counters live in Redis when set, else in PostgreSQL. */
  readonly redisUrl: string | undefined;
  /** Proxies whose X-Forwarded-For is believed (IPs or CIDRs). */
  readonly trustedProxies: readonly string[];
  /** Login throttle, proof-of-work breaker and code-send budgets (ID-3, ID-5). */
  readonly throttle: ThrottleSettings;
  /**
   * Signed POS requests (PAY-2): how far a request's timestamp may be from our clock, and
   * how long a terminal's row may be served from memory (a change made elsewhere is seen
   * within that time).
   */
  readonly pos: { readonly clockSkewSeconds: number; readonly terminalCacheMs: number };
  /** Payout files (PAY-4): Konpay as remitter; undefined in production until all PAYOUT_* are set. */
  readonly payout: { readonly remitter: Remitter | undefined };
  /** Payments at the till (PAY-2): fees, the payable shards, the terminal's code-guessing limit. */
  readonly payments: {
    readonly feeBps: number;
    readonly payableShards: number;
    readonly unknownCodesPerWindow: number;
    readonly unknownCodesWindowMs: number;
    /** Payments gathered into one transaction at most, and such transactions at once (src/shared/batcher.ts). */
    readonly batch: { readonly maxBatch: number; readonly lanes: number };
  };
  /** The operator API's machine token: undefined when there is none (production without OPERATOR_API_TOKEN); consoles still sign in. */
  readonly operatorApi: { readonly tokenSource: 'environment' | 'secrets-file' } | undefined;
  /** Operators' console sessions: idle timeout and absolute lifetime. */
  readonly operatorSessions: { readonly idleMs: number; readonly absoluteMs: number };
  /** Two-operator approvals (OPS-2): the unfreeze threshold and how long a request waits. */
  readonly approvals: { readonly unfreezeMinBalanceYen: number; readonly limitRaiseYen: number; readonly ttlMs: number };
  /** Merchant webhooks (PAY-3): delivery timeout; production sends only to https:// endpoints. */
  readonly webhooks: { readonly timeoutMs: number; readonly httpsOnly: boolean; readonly publicOnly: boolean };
  /** OpenID Connect providers for external ID sign-in (ID-12); empty: the feature is off. */
  readonly oidcProviders: readonly OidcProviderConfig[];
  /** Cases and claims (RISK-2, OPS-3): compensations above this many yen need a second operator. */
  readonly cases: { readonly compensationApprovalYen: number };
  readonly secrets: Secrets;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses and validates the environment, then loads or creates secrets; the result is frozen. */
export async function loadConfig(source: Record<string, string | undefined>): Promise<Config> {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const dataDir = resolve(e.KONPAY_DATA_DIR);

  if (production) {
    const missing = ['DATABASE_URL', 'KONPAY_PASSWORD_PEPPER', 'KONPAY_SIGNING_KEY', 'KONPAY_ENCRYPTION_KEY', 'PUBLIC_URL']
      .filter((k) => !e[k as keyof Env]);
    if (missing.length > 0) {
      throw new ConfigError(`NODE_ENV=production needs these from the environment: ${missing.join(', ')}`);
    }
    if (e.DEV_OUTBOX === true) throw new ConfigError('DEV_OUTBOX cannot be enabled in production');
    // ID-2: argon2id with m ≥ 19 MiB and t ≥ 2. Tests may go lower; production may not.
    if (e.ARGON2_MEMORY_KIB < 19_456 || e.ARGON2_ITERATIONS < 2) {
      throw new ConfigError('ARGON2_MEMORY_KIB must be at least 19456 and ARGON2_ITERATIONS at least 2 in production');
    }
  }
  if (e.PAYMENT_CODE_REFRESH_SECONDS > e.PAYMENT_CODE_TTL_SECONDS) {
    throw new ConfigError('PAYMENT_CODE_REFRESH_SECONDS must not exceed PAYMENT_CODE_TTL_SECONDS: the app would show expired codes');
  }
  if ((e.VAPID_PUBLIC_KEY === undefined) !== (e.VAPID_PRIVATE_KEY === undefined)) {
    throw new ConfigError('VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY must be set together');
  }

  // The remitter is all or nothing; outside production the unset ones take the dev values.
  const payoutSet = PAYOUT_KEYS.filter((k) => e[k] !== undefined);
  if (production && payoutSet.length > 0 && payoutSet.length < PAYOUT_KEYS.length) {
    throw new ConfigError(`set all of ${PAYOUT_KEYS.join(', ')} or none; missing: ${PAYOUT_KEYS.filter((k) => e[k] === undefined).join(', ')}`);
  }
  const p = production ? e : { ...DEV_REMITTER, ...Object.fromEntries(payoutSet.map((k) => [k, e[k]])) };
  const remitter: Remitter | undefined = p.PAYOUT_REMITTER_CODE === undefined ? undefined : {
    code: p.PAYOUT_REMITTER_CODE, name: p.PAYOUT_REMITTER_NAME!, bankCode: p.PAYOUT_BANK_CODE!, bankName: p.PAYOUT_BANK_NAME!,
    branchCode: p.PAYOUT_BRANCH_CODE!, branchName: p.PAYOUT_BRANCH_NAME!, accountType: Number(p.PAYOUT_ACCOUNT_TYPE) as 1 | 2,
    accountNumber: p.PAYOUT_ACCOUNT_NUMBER!,
  };

  const fromEnv = {
    passwordPepper: e.KONPAY_PASSWORD_PEPPER,
    signingKey: e.KONPAY_SIGNING_KEY,
    encryptionKey: e.KONPAY_ENCRYPTION_KEY,
    operatorApiToken: e.OPERATOR_API_TOKEN,
  };
  let secrets: Secrets;
  try {
    secrets = production
      ? {
          passwordPepper: parseSecret('KONPAY_PASSWORD_PEPPER', fromEnv.passwordPepper),
          signingKey: parseSecret('KONPAY_SIGNING_KEY', fromEnv.signingKey),
          encryptionKey: parseSecret('KONPAY_ENCRYPTION_KEY', fromEnv.encryptionKey),
          embeddedDbPassword: undefined,
          operatorApiToken: fromEnv.operatorApiToken,
        }
      : await loadOrCreateSecrets(dataDir, fromEnv);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }

  let oidcProviders: readonly OidcProviderConfig[];
  try {
    oidcProviders = parseOidcProviders(e.OIDC_PROVIDERS, production);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }

  let riskPolicy: RiskPolicy;
  try {
    riskPolicy = parseRiskPolicy(e.RISK_POLICY);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }

  const port = e.PORT;
  return deepFreeze({
    risk: { policy: riskPolicy, paymentAllowSample: e.RISK_PAYMENT_ALLOW_SAMPLE },
    env: e.NODE_ENV,
    production,
    http: {
      host: e.HOST,
      port,
      publicUrl: (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
      bodyLimit: e.BODY_LIMIT_BYTES,
      shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    },
    logLevel: e.LOG_LEVEL,
    db: { databaseUrl: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX },
    dataDir,
    outbox: { pollMs: e.OUTBOX_POLL_MS, batchSize: e.OUTBOX_BATCH_SIZE, leaseMs: e.OUTBOX_LEASE_MS },
    ledgerSweepMs: e.LEDGER_SWEEP_MS,
    flowSweepMs: e.AUTH_FLOW_SWEEP_MS,
    notify: {
      smtpUrl: e.SMTP_URL,
      mailFrom: e.MAIL_FROM,
      sms: e.SMS_GATEWAY_URL
        ? { url: e.SMS_GATEWAY_URL, token: e.SMS_GATEWAY_TOKEN, senderId: e.SMS_SENDER_ID }
        : undefined,
      vapid:
        e.VAPID_PUBLIC_KEY && e.VAPID_PRIVATE_KEY
          ? { publicKey: e.VAPID_PUBLIC_KEY, privateKey: e.VAPID_PRIVATE_KEY, subject: e.VAPID_SUBJECT }
          : undefined,
      devOutbox: !production && (e.DEV_OUTBOX ?? true),
    },
    identity: {
      argon2: { memoryKib: e.ARGON2_MEMORY_KIB, iterations: e.ARGON2_ITERATIONS, parallelism: e.ARGON2_PARALLELISM },
      sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
      sessionAbsoluteMs: e.SESSION_ABSOLUTE_HOURS * 3_600_000,
      privilegedWindowMs: e.PRIVILEGED_WINDOW_SECONDS * 1000,
      restrictedModeMs: e.RESTRICTED_MODE_HOURS * 3_600_000,
    },
    cardnet: {
      enabled: (e.CARDNET ?? (production ? 'off' : 'in-process')) === 'in-process',
      host: e.CARDNET_HOST ?? e.HOST,
      port: e.CARDNET_PORT,
      publicUrl: e.CARDNET_PUBLIC_URL,
      webhookUrl: e.CARDNET_WEBHOOK_URL,
      webhookSecret: e.CARDNET_WEBHOOK_SECRET,
      timeoutDelayMs: e.CARDNET_TIMEOUT_DELAY_MS,
    },
    cards: {
      networkUrl: e.CARD_NETWORK_URL,
      networkTimeoutMs: e.CARD_NETWORK_TIMEOUT_MS,
      perAccount: e.CARDS_PER_ACCOUNT,
      cvcFailuresPerCard: e.CARD_CVC_FAILURES_PER_CARD,
      cvcFailuresPerAccount: e.CARD_CVC_FAILURES_PER_ACCOUNT,
      cvcWindowMs: e.CARD_CVC_WINDOW_HOURS * 3_600_000,
      challengeMs: e.TOPUP_CHALLENGE_MINUTES * 60_000,
      reconcileEveryMs: e.TOPUP_RECONCILE_MS,
    },
    limits: {
      cardTopup: { min: e.LIMIT_CARD_TOPUP_MIN_YEN, max: e.LIMIT_CARD_TOPUP_MAX_YEN, per24h: e.LIMIT_CARD_TOPUP_24H_YEN, per30d: e.LIMIT_CARD_TOPUP_30D_YEN },
      cashTopup: { step: e.LIMIT_CASH_TOPUP_STEP_YEN, max: e.LIMIT_CASH_TOPUP_MAX_YEN },
      balanceMax: e.LIMIT_BALANCE_MAX_YEN,
      payment: { max: e.LIMIT_PAYMENT_MAX_YEN, per24h: e.LIMIT_PAYMENT_24H_YEN },
      restrictedPaymentsPer24h: e.LIMIT_RESTRICTED_PAYMENT_24H_YEN,
    },
    codes: { ttlMs: e.PAYMENT_CODE_TTL_SECONDS * 1000, refreshMs: e.PAYMENT_CODE_REFRESH_SECONDS * 1000, unlockWindowMs: e.UNLOCK_WINDOW_SECONDS * 1000 },
    pos: { clockSkewSeconds: e.POS_CLOCK_SKEW_SECONDS, terminalCacheMs: e.POS_TERMINAL_CACHE_MS },
    payout: { remitter },
    payments: {
      feeBps: e.MERCHANT_FEE_BPS,
      payableShards: e.MERCHANT_PAYABLE_SHARDS,
      unknownCodesPerWindow: e.POS_UNKNOWN_CODES_PER_WINDOW,
      unknownCodesWindowMs: e.POS_UNKNOWN_CODES_WINDOW_MINUTES * 60_000,
      batch: { maxBatch: e.PAYMENT_BATCH_MAX, lanes: e.PAYMENT_BATCH_LANES },
    },
    operatorApi: secrets.operatorApiToken ? { tokenSource: e.OPERATOR_API_TOKEN ? 'environment' : 'secrets-file' } : undefined,
    operatorSessions: { idleMs: e.OPERATOR_SESSION_IDLE_MINUTES * 60_000, absoluteMs: e.OPERATOR_SESSION_HOURS * 3_600_000 },
    approvals: { unfreezeMinBalanceYen: e.APPROVAL_UNFREEZE_MIN_BALANCE_YEN, limitRaiseYen: e.APPROVAL_LIMIT_RAISE_YEN, ttlMs: e.APPROVAL_TTL_HOURS * 3_600_000 },
    webhooks: { timeoutMs: e.WEBHOOK_TIMEOUT_MS, httpsOnly: production, publicOnly: (e.WEBHOOK_PRIVATE_ADDRESSES ?? (production ? 'refuse' : 'allow')) === 'refuse' },
    oidcProviders,
    cases: { compensationApprovalYen: e.APPROVAL_COMPENSATION_YEN },
    redisUrl: e.REDIS_URL,
    trustedProxies: csv(e.TRUSTED_PROXIES),
    throttle: {
      login: {
        freeFailuresPerAccount: e.LOGIN_FREE_FAILURES_PER_ACCOUNT,
        freeFailuresPerAccountIp: e.LOGIN_FREE_FAILURES_PER_ACCOUNT_IP,
        freeFailuresPerIp: e.LOGIN_FREE_FAILURES_PER_IP,
        firstDelayMs: e.LOGIN_FIRST_DELAY_MS,
        maxDelayMs: e.LOGIN_MAX_DELAY_SECONDS * 1000,
        maxConsecutiveFailures: e.LOGIN_MAX_CONSECUTIVE_FAILURES,
        forgetAccountAfterMs: e.LOGIN_FORGET_ACCOUNT_FAILURES_HOURS * 3_600_000,
        forgetIpAfterMs: e.LOGIN_FORGET_IP_FAILURES_HOURS * 3_600_000,
        breakerFailuresPerMinute: e.LOGIN_BREAKER_FAILURES_PER_MINUTE,
      },
      pow: { cost: e.LOGIN_POW_COST, maxNumber: e.LOGIN_POW_MAX_NUMBER, ttlMs: e.LOGIN_POW_TTL_SECONDS * 1000 },
      sends: { perDestinationPerHour: e.CODE_SENDS_PER_DESTINATION_PER_HOUR, perIpPerHour: e.CODE_SENDS_PER_IP_PER_HOUR, smsPerHour: e.SMS_SENDS_PER_HOUR },
      addresses: {
        oidcStarts: { limit: e.OIDC_STARTS_PER_IP_PER_HOUR, windowMs: 3_600_000 },
        challenges: { limit: e.LOGIN_CHALLENGES_PER_IP_PER_MINUTE, windowMs: 60_000 },
      },
    },
    secrets,
  });
}
