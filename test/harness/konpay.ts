/**
 * A whole Konpay server for a test: its own database, its own data folder, a capture
 * of every log line, and (optionally) a manual clock.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../src/config.js';
import { startKonpay, type Konpay, type StartOptions } from '../../src/server.js';
import { createTestDb, type TestDb } from './db.js';

/** Collects log lines in memory; `text` is everything written so far. */
export class LogCapture extends Writable {
  lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, cb: () => void) {
    this.lines.push(...chunk.toString().split('\n').filter(Boolean));
    cb();
  }
  get text(): string {
    return this.lines.join('\n');
  }
  json(): Record<string, unknown>[] {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

export interface TestKonpay {
  konpay: Konpay;
  config: Config;
  db: TestDb;
  logs: LogCapture;
  stop(): Promise<void>;
}

/**
 * The address and install thresholds tests run with (see startTestKonpay), plus a file's
 * own overrides. Install ids: a test that keeps cookies (a browser, a cookie jar) is one
 * install for every customer it signs up.
 */
export const riskPolicyEnv = (over: Record<string, number> = {}) => ({
  RISK_POLICY: JSON.stringify({
    accountsOnDeviceStepUp: 1_000_000, signupsFromDeviceDeny: 1_000_000, cardsTriedDeny: 1_000_000, cardFailuresDeny: 1_000_000,
    accountsOnInstallStepUp: 1_000_000, signupsFromInstallDeny: 1_000_000, ...over,
  }),
});

export async function startTestKonpay(
  env: Record<string, string> = {},
  opts: Omit<StartOptions, 'logDestination'> = {},
): Promise<TestKonpay> {
  const db = await createTestDb();
  const dataDir = await mkdtemp(join(tmpdir(), 'konpay-test-data-'));
  const config = await loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    KONPAY_DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'info',
    OUTBOX_POLL_MS: '20',
    // Test files run side by side: the in-process card network takes any free port.
    CARDNET_PORT: '0',
    // Fast hashing for tests only; production refuses anything below m=19 MiB, t=2.
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_ITERATIONS: '1',
    // Every injected request comes from 127.0.0.1: a file signing up a few dozen customers
    // would spend one address's hourly code budget. Throttle tests set their own.
    CODE_SENDS_PER_IP_PER_HOUR: '100000',
    // The same for the other per-address budgets; address-limits.security.test.ts sets its own.
    OIDC_STARTS_PER_IP_PER_HOUR: '100000',
    LOGIN_CHALLENGES_PER_IP_PER_MINUTE: '100000',
    // For the same reason the risk engine's address signals (accounts, sign-ups and cards
    // per client address) are off by default: one address here is every customer of the
    // file. src/risk/*.security.test.ts pass RISK_POLICY='{}' and distinct addresses
    // (install.security.test.ts: distinct cookie jars).
    ...riskPolicyEnv(),
    // Tests suspend, revoke and rotate terminals through their own service deps (or the
    // ops CLI) and expect the next request to be refused: no terminal cache by default.
    // src/pos/terminal-cache.test.ts turns it on.
    POS_TERMINAL_CACHE_MS: '0',
    ...env,
  });
  const logs = new LogCapture();
  const konpay = await startKonpay(config, { ...opts, logDestination: logs });
  return {
    konpay, config, db, logs,
    async stop() {
      await konpay.close();
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
