/**
 * Code-send budgets (ID-3): how many one-time codes (and the notices sent in their place
 * to existing owners) may go to one e-mail address or phone number, and be asked for by
 * one client address, per hour. Against mail and SMS bombing of a victim, and against
 * SMS pumping, where fraudsters make a service text premium numbers they are paid for.
 *
 * The window of each key starts at its first send and lasts an hour, then starts over:
 * like every throttle here, the limit always ends by itself.
 */
import type { Logger } from '../../shared/logger.js';
import type { SendDecision, SendGuard } from '../deps.js';
import type { CounterKeys } from './keys.js';
import type { SendSettings } from './policy.js';
import type { CounterStore } from './store.js';

const HOUR_MS = 3_600_000;

export class CodeSendThrottle implements SendGuard {
  constructor(
    private readonly store: CounterStore,
    private readonly keys: CounterKeys,
    private readonly settings: SendSettings,
    private readonly logger: Logger,
  ) {}

  /**
   * Takes one send from the client's budget, then from the destination's. The client
   * goes first: a script spraying many numbers exhausts its own budget without using up
   * its victims'. A destination is compared as normalised (E.164, lower-cased e-mail).
   */
  async take(to: { channel: 'email' | 'sms'; destination: string }, ip: string | null, now: Date): Promise<SendDecision> {
    const budgets: [string, number][] = [
      ...(ip ? [[this.keys.sendIp(ip), this.settings.perIpPerHour] as [string, number]] : []),
      [this.keys.sendDestination(`${to.channel}:${to.destination}`), this.settings.perDestinationPerHour],
      // Last, so that a client or a number over its own budget does not use up everyone's.
      ...(to.channel === 'sms' ? [[this.keys.smsService(), this.settings.smsPerHour] as [string, number]] : []),
    ];
    for (const [key, limit] of budgets) {
      const r = await this.store.hit(key, now, { windowMs: HOUR_MS, limit });
      if (r.allowed) continue;
      if (key === this.keys.smsService()) {
        this.logger.error({ limit, resetAt: r.resetAt.toISOString() }, 'the service-wide SMS budget is used up: no SMS codes until the window ends (SMS pumping?)');
      }
      return { kind: 'wait', retryAfterMs: Math.max(1000, r.resetAt.getTime() - now.getTime()) };
    }
    return { kind: 'allow' };
  }
}
