import type pg from 'pg';
import type { Queryable } from '../db/pool.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { AccountIds } from '../wallet/ledger/accounts.js';
import type { Limits } from '../wallet/limits.js';
import type { MovementNotifier } from '../wallet/notices.js';
import type { PaymentRisk } from './risk.js';

/** What the merchant is told about its payments (PAY-3); recorded in the caller's transaction. */
export interface MerchantEvent {
  merchantId: string;
  type: 'payment.approved' | 'payment.canceled' | 'payment.refunded';
  data: Record<string, unknown>;
  now: Date;
}

export interface MerchantEvents {
  emit(q: Queryable, e: MerchantEvent): Promise<void>;
  emitMany(q: Queryable, events: readonly MerchantEvent[]): Promise<void>;
}

export interface PaymentRules {
  /** The merchant's fee in basis points of each payment, rounded down to the yen. */
  readonly feeBps: number;
  /**
   * A merchant's payable account is split in this many: every payment of a big chain
   * credits it, and one row would make them all wait for each other.
   */
  readonly payableShards: number;
  /** Unknown codes a terminal may send within the window before it is throttled and flagged. */
  readonly unknownCodesPerWindow: number;
  readonly unknownCodesWindowMs: number;
}

export interface PaymentsDeps extends MovementNotifier {
  readonly pool: pg.Pool;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly limits: Limits;
  /** Keys the stored digests of payment codes (the server signing key). */
  readonly signingKey: Buffer;
  readonly publicUrl: string;
  readonly rules: PaymentRules;
  readonly risk: PaymentRisk;
  readonly merchantEvents: MerchantEvents | undefined;
  /** The merchants' payable shards, looked up once each. */
  readonly accounts: AccountIds;
}
