import type pg from 'pg';
import type { Notifier } from '../notify/notifier.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';

/**
 * What the simulator is given. Only shared infrastructure (database pool, the notify
 * port, clock, logger): the simulator stands for another company's system and must not
 * reach into Konpay's modules.
 */
export interface CardnetDeps {
  readonly pool: pg.Pool;
  readonly clock: Clock;
  readonly logger: Logger;
  /** SMS to card holders (the issuer's challenge codes) go through Konpay's outbox. */
  readonly notifier: Pick<Notifier, 'notify'>;
  readonly keys: CardnetKeys;
  /** The simulator's own base URL, for the links in its answers (challenge pages). */
  readonly publicUrl: string;
  /** Origins a card form or challenge may send the browser back to (the merchant's). */
  readonly allowedReturnOrigins: readonly string[];
  readonly webhook: { readonly url: string | undefined; readonly secret: string };
  /** How long the network-timeout test card holds its answer back. */
  readonly timeoutDelayMs: number;
}

export interface CardnetKeys {
  /** Keys the card fingerprint (HMAC of the PAN) and the challenge-code digests. */
  readonly fingerprint: Buffer;
}
