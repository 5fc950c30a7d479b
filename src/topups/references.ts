/**
 * The references Konpay gives the card network. Each operation on a top-up has one fixed
 * reference derived from the top-up's id, so a retry after a lost answer is the same
 * request to the network and can never charge or capture twice.
 */
import { uuidFromHex } from '../shared/ids.js';
const hex = (id: string) => id.replace(/-/g, '');

export const paymentReference = (topupId: string) => `topup_${hex(topupId)}`;
export const captureReference = (topupId: string) => `topup_${hex(topupId)}_capture`;

/** The top-up a payment reference names, or undefined when it is not one of ours. */
export function topupIdOfReference(reference: string): string | undefined {
  const m = /^topup_([0-9a-f]{32})$/.exec(reference);
  if (!m) return undefined;
  return uuidFromHex(m[1]!);
}
