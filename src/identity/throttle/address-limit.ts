/**
 * A budget of calls per client address (IPv4 address or IPv6 /64, ip.ts) for endpoints
 * anyone may call that cost the server something each time, before any password or code
 * could be throttled: starting an external ID sign-in writes a flow row, and a
 * proof-of-work challenge costs a key derivation. Without one, a script from one address
 * fills the flows table or keeps a core busy.
 *
 * A fixed window from the address's first call (CounterStore.hit), as the code-send
 * budgets: atomic across servers, and it ends by itself. A request with no address
 * counts as one client, "unknown", as the login counters do.
 */
import type { WindowLimit } from './policy.js';
import type { CounterStore } from './store.js';

export type AddressDecision = { kind: 'allow' } | { kind: 'wait'; retryAfterMs: number };

export class AddressLimit {
  constructor(
    private readonly store: CounterStore,
    /** The counter key of an address (keys.ts). */
    private readonly keyOf: (ip: string) => string,
    private readonly window: WindowLimit,
  ) {}

  /** Takes one call from the address's budget; a spent budget answers how long until it refills. */
  async take(ip: string | null, now: Date): Promise<AddressDecision> {
    const r = await this.store.hit(this.keyOf(ip ?? 'unknown'), now, this.window);
    return r.allowed ? { kind: 'allow' } : { kind: 'wait', retryAfterMs: Math.max(1000, r.resetAt.getTime() - now.getTime()) };
  }
}
