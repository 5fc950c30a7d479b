/**
 * Merchant events (PAY-3): what they are called and the JSON body a merchant receives.
 * `data` is whatever the emitting module says happened; this module only carries it.
 */
import { toPublicId, type PrefixedId } from '../shared/ids.js';

export const MERCHANT_EVENT_TYPES = ['payment.approved', 'payment.canceled', 'payment.refunded'] as const;
export type MerchantEventType = (typeof MERCHANT_EVENT_TYPES)[number];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface MerchantEventBody {
  /** `evt_…`: the same for every attempt and replay of this event; receivers deduplicate by it. */
  id: PrefixedId<'evt'>;
  type: MerchantEventType;
  createdAt: string;
  data: JsonObject;
}

export function eventBody(row: { id: string; type: MerchantEventType; payload: JsonObject; created_at: Date }): MerchantEventBody {
  return { id: toPublicId('evt', row.id), type: row.type, createdAt: row.created_at.toISOString(), data: row.payload };
}
