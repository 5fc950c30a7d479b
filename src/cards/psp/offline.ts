/**
 * The card network when none is configured (the simulator off and no PSP URL): every
 * call is `unavailable`, so card endpoints answer 503 and nothing is ever charged.
 */
import type { CardNetwork } from './port.js';

export function offlineNetwork(): CardNetwork {
  const no = () => Promise.resolve({ kind: 'unavailable' as const });
  return { getCard: no, startAuthentication: no, getAuthentication: no, authorise: no, getPayment: no, capture: no, void: no, refund: no };
}
