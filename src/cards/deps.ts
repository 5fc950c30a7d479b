import type pg from 'pg';
import type { SecurityEvents } from '../identity/events.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { CardNetwork } from './psp/port.js';
import type { RiskEngine } from '../risk/engine.js';

/** The card rules of WAL-3, from configuration. */
export interface CardRules {
  readonly perAccount: number;
  readonly cvcFailuresPerCard: number;
  readonly cvcFailuresPerAccount: number;
  readonly cvcWindowMs: number;
  /** A card set-up (or top-up) whose challenge is not completed in this time lapses. */
  readonly challengeMs: number;
}

export interface CardsDeps {
  readonly pool: pg.Pool;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly psp: CardNetwork;
  readonly events: SecurityEvents;
  /** Konpay's public URL: the card network sends the browser back here after a challenge. */
  readonly publicUrl: string;
  /**
   * The card network's base URL as the customer's browser reaches it (its hosted card
   * form); unset when there is no network to send anyone to.
   */
  readonly cardFormBase?: string | undefined;
  readonly rules: CardRules;
  /** RISK-1: every card addition is judged before the card network is asked. */
  readonly risk: RiskEngine;
}

/** Thrown inside a transaction to roll it back when the card network cannot be reached. */
export class NetworkUnavailable extends Error {
  override name = 'NetworkUnavailable';
}
