import type { Clock } from '../shared/clock.js';
import type { Limits } from '../wallet/limits.js';
import type { MovementNotifier } from '../wallet/notices.js';

/** What cash top-ups at the register need, built once by the composition root. */
export interface CashDeps extends MovementNotifier {
  readonly clock: Clock;
  readonly limits: Limits;
  /** Keys the stored digests of payment codes (the server signing key). */
  readonly signingKey: Buffer;
  /** Konpay's public URL, for the `type` of recorded problem answers. */
  readonly publicUrl: string;
}
