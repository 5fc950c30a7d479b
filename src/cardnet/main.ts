/**
 * `npm run cardnet`: the simulator alone, over the same database (its own `cardnet_*`
 * tables) with an outbox of its own for challenge SMS, which the dev outbox shows.
 * Settings: CARDNET_PORT (3100), CARDNET_PUBLIC_URL, CARDNET_RETURN_ORIGINS (comma-
 * separated; default Konpay's public URL), CARDNET_WEBHOOK_URL, CARDNET_WEBHOOK_SECRET.
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
  // This standalone entry point is its own composition root, so it reads its environment here.
  const env = process.env;
  const config = await loadConfig(env);
  const webhookSecret = env.CARDNET_WEBHOOK_SECRET ?? hmac(secretBytes(config.secrets.signingKey), 'cardnet-webhook').toString('hex');
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
    host: config.http.host, port: Number(env.CARDNET_PORT ?? 3100), publicUrl: env.CARDNET_PUBLIC_URL,
    allowedReturnOrigins: (env.CARDNET_RETURN_ORIGINS ?? config.http.publicUrl).split(',').map((o) => new URL(o.trim()).origin),
    webhook: { url: env.CARDNET_WEBHOOK_URL, secret: webhookSecret },
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
