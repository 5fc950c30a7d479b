/**
 * `npm run cardnet`: the simulator alone, over the same database (its own `cardnet_*`
 * tables) with an outbox of its own for challenge SMS, which the dev outbox shows.
 * Settings are Konpay's (src/config.ts): CARDNET_HOST, CARDNET_PORT, CARDNET_PUBLIC_URL,
 * CARDNET_WEBHOOK_URL, CARDNET_WEBHOOK_SECRET; return URLs must be on PUBLIC_URL's origin.
 * Run Konpay itself with CARDNET=off to use this one instead of its in-process copy.
 */
import { loadConfig } from '../config.js';
import { loadMigrations, migrate } from '../db/migrate.js';
import { openDatabase } from '../db/open.js';
import { createPool } from '../db/pool.js';
import { Notifier, notifyHandlers } from '../notify/notifier.js';
import { Outbox } from '../outbox/outbox.js';
import { OutboxWorker } from '../outbox/worker.js';
import { secretBytes, secretValues } from '../secrets.js';
import { systemClock } from '../shared/clock.js';
import { hmac } from '../shared/crypto.js';
import { createLogger } from '../shared/logger.js';
import { startCardnet } from './start.js';

async function main(): Promise<void> {
  const config = await loadConfig(process.env);
  const webhookSecret = config.cardnet.webhookSecret ?? hmac(secretBytes(config.secrets.signingKey), 'cardnet-webhook').toString('hex');
  const logger = createLogger({ level: config.logLevel, knownSecrets: [...secretValues(config.secrets), webhookSecret] });
  const { url, embedded } = await openDatabase(config, logger);
  const pool = createPool({ connectionString: url, max: 5, applicationName: 'cardnet' });
  await migrate(pool, await loadMigrations());
  const outbox = new Outbox(notifyHandlers({ senders: {}, devOutbox: config.notify.devOutbox ? { pool, clock: systemClock } : undefined, logger }), systemClock);
  const worker = new OutboxWorker({ pool, outbox, clock: systemClock, logger, ...config.outbox });
  worker.start();
  const cardnet = await startCardnet({
    pool, clock: systemClock, logger, notifier: new Notifier(outbox),
    keys: { fingerprint: hmac(secretBytes(config.secrets.signingKey), 'cardnet-fingerprint-key') },
    host: config.cardnet.host, port: config.cardnet.port, publicUrl: config.cardnet.publicUrl,
    allowedReturnOrigins: [new URL(config.http.publicUrl).origin],
    webhook: { url: config.cardnet.webhookUrl, secret: webhookSecret },
    tickMs: 5_000,
  });
  logger.info({ url: cardnet.url }, 'cardnet simulator is listening');
  const stop = () => {
    void (async () => {
      await cardnet.close();
      await worker.stop();
      await pool.end();
      await embedded?.stop();
      process.exit(0);
    })();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  console.error('cardnet: failed to start:', err);
  process.exit(1);
});
