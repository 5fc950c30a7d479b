import type pg from 'pg';
import type { CardNetwork } from '../cards/psp/port.js';
import type { SecurityEvents } from '../identity/events.js';
import type { Notifier } from '../notify/notifier.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { Limits } from '../wallet/limits.js';
import type { RiskEngine } from '../risk/engine.js';

export interface TopupsDeps {
  readonly pool: pg.Pool;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly psp: CardNetwork;
  readonly notifier: Notifier;
  readonly events: SecurityEvents;
  readonly limits: Limits;
  /** Konpay's public URL: the challenge page sends the browser back here. */
  readonly publicUrl: string;
  /** How long the holder has to complete the challenge. */
  readonly challengeMs: number;
  /** RISK-1: every top-up is judged before the card network is asked. */
  readonly risk: RiskEngine;
}
