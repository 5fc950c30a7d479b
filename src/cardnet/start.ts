/**
 * Starts the simulator: its own Fastify app on its own port, over the tables given by
 * the pool. The composition root calls this in-process; `npm run cardnet` (main.ts) runs
 * it alone.
 */
import type pg from 'pg';
import { buildApp, type App } from '../http/app.js';
import type { Notifier } from '../notify/notifier.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { bookDueChargebacks, deliverWebhooks } from './chargebacks.js';
import type { CardnetDeps, CardnetKeys } from './deps.js';
import { paymentRoutes } from './routes/payments.js';
import { settlementRoutes } from './routes/settlements.js';
import { threeDsRoutes } from './routes/three-ds.js';
import { tokenRoutes } from './routes/tokens.js';

export interface CardnetOptions {
  pool: pg.Pool;
  clock: Clock;
  logger: Logger;
  notifier: Pick<Notifier, 'notify'>;
  keys: CardnetKeys;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Public base URL; defaults to the address it listens on. */
  publicUrl?: string | undefined;
  allowedReturnOrigins: readonly string[];
  webhook: { url: string | undefined; secret: string };
  /** How long the network-timeout card holds its answer (default 30 s). */
  timeoutDelayMs?: number;
  /** How often chargebacks are booked and webhooks sent; 0 = only when `tick()` is called. */
  tickMs?: number;
  version?: string;
}

export interface Cardnet {
  readonly app: App;
  readonly url: string;
  /** Books due chargebacks and delivers due webhooks. */
  tick(): Promise<{ chargebacks: number; delivered: number }>;
  close(): Promise<void>;
}

export async function startCardnet(opts: CardnetOptions): Promise<Cardnet> {
  let publicUrl = opts.publicUrl?.replace(/\/$/, '') ?? '';
  const logger = opts.logger.child({ component: 'cardnet' });
  const deps: CardnetDeps = {
    pool: opts.pool, clock: opts.clock, logger, notifier: opts.notifier, keys: opts.keys,
    // Read at request time: with port 0 the address is known only after listen.
    get publicUrl() { return publicUrl; },
    allowedReturnOrigins: opts.allowedReturnOrigins,
    webhook: opts.webhook,
    timeoutDelayMs: opts.timeoutDelayMs ?? 30_000,
  };
  const app = await buildApp({
    logger, publicUrl: publicUrl || 'http://cardnet.invalid', bodyLimit: 64 * 1024, version: opts.version ?? '0.1.0',
    routes: [tokenRoutes(deps), threeDsRoutes(deps), paymentRoutes(deps), settlementRoutes(deps)],
  });
  const url = (await app.listen({ host: opts.host, port: opts.port })).replace(/\/$/, '');
  publicUrl ||= url;

  const tick = async () => ({ chargebacks: await bookDueChargebacks(deps), delivered: await deliverWebhooks(deps) });
  const timer = opts.tickMs ? setInterval(() => void tick().catch((err: unknown) => logger.error({ err }, 'cardnet tick failed')), opts.tickMs) : undefined;
  timer?.unref();
  return {
    app, url: publicUrl, tick,
    async close() {
      if (timer) clearInterval(timer);
      await app.close();
    },
  };
}
