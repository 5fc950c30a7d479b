/**
 * The card-network simulator for the bench's card top-up scenario, in a process of its
 * own, as `npm run cardnet` runs it (src/cardnet/main.ts) with one difference: it runs no
 * outbox worker. Its challenge SMS are recorded in the shared outbox (`notify.sms`), as
 * the in-process simulator's are, and Konpay's own outbox worker delivers them through
 * its HTTP SMS gateway adapter to the bench's SMS sink. A second worker here would also
 * claim Konpay's own messages (payment e-mails, webhooks) without Konpay's senders.
 *
 * Environment (set by bench/main.ts): DATABASE_URL, KONPAY_SIGNING_KEY, PUBLIC_URL,
 * CARDNET_PORT.
 */
import { createPool } from '../src/db/pool.js';
import { Notifier, notifyHandlers } from '../src/notify/notifier.js';
import { Outbox } from '../src/outbox/outbox.js';
import { secretBytes } from '../src/secrets.js';
import { systemClock } from '../src/shared/clock.js';
import { hmac } from '../src/shared/crypto.js';
import { createLogger } from '../src/shared/logger.js';
import { startCardnet } from '../src/cardnet/start.js';

const need = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
};

const signingKey = secretBytes(need('KONPAY_SIGNING_KEY'));
const publicUrl = need('PUBLIC_URL');
const webhookSecret = hmac(signingKey, 'cardnet-webhook').toString('hex');
const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', knownSecrets: [need('KONPAY_SIGNING_KEY'), webhookSecret] });
const pool = createPool({ connectionString: need('DATABASE_URL'), max: 10, applicationName: 'cardnet' });
const outbox = new Outbox(notifyHandlers({ senders: {}, devOutbox: undefined, logger }), systemClock);

const cardnet = await startCardnet({
  pool, clock: systemClock, logger, notifier: new Notifier(outbox),
  keys: { fingerprint: hmac(signingKey, 'cardnet-fingerprint-key') },
  host: '127.0.0.1', port: Number(need('CARDNET_PORT')),
  allowedReturnOrigins: [new URL(publicUrl).origin],
  webhook: { url: `${publicUrl}/v1/webhooks/card-network`, secret: webhookSecret },
  tickMs: 5_000,
});
logger.warn({ url: cardnet.url }, 'bench cardnet simulator listening');

const stop = () => {
  const t0 = Date.now();
  const closing = cardnet.close();
  // Stopped between phases, with nothing in flight: the kept-alive connections of Konpay's
  // and the load generator's clients would otherwise hold the close open.
  cardnet.app.server.closeAllConnections();
  void closing
    .then(() => logger.warn({ ms: Date.now() - t0 }, 'bench cardnet simulator closed'))
    .then(() => pool.end())
    .catch((err: unknown) => logger.error({ err }, 'bench cardnet simulator: stopping failed'))
    .finally(() => {
      logger.warn({ ms: Date.now() - t0 }, 'bench cardnet simulator stopped');
      process.exit(0);
    });
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
