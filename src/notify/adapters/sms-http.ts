/**
 * SMS through an HTTP gateway: POST {from, to, text} as JSON with a bearer token, the
 * shape most SMS carriers' REST APIs take. 429 and 5xx are retried; other 4xx
 * (a number the carrier refuses) are not.
 */
import { DeliveryError } from '../../outbox/outbox.js';
import type { Sender, SmsMessage } from '../port.js';

export interface SmsGatewayOptions {
  url: string;
  token: string | undefined;
  senderId: string;
  timeoutMs?: number;
}

export function httpSmsSender(opts: SmsGatewayOptions): Sender<SmsMessage> {
  return {
    name: 'sms-http',
    async send(m) {
      let res: Response;
      try {
        res = await fetch(opts.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          },
          body: JSON.stringify({ from: opts.senderId, to: m.to, text: m.text }),
          signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
        });
      } catch (err) {
        throw new DeliveryError(`sms gateway unreachable: ${(err as Error).name}`, false);
      }
      await res.body?.cancel();
      if (res.ok) return;
      const retryable = res.status === 429 || res.status >= 500;
      throw new DeliveryError(`sms gateway answered ${res.status}`, !retryable);
    },
  };
}
