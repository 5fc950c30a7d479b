/**
 * One POST to a merchant's endpoint. Outcomes are values: an HTTP status, or the reason
 * there was none. The response body is never read: it would only cost time, and a
 * receiver's page has no place in our logs.
 *
 * In production (`publicOnly`) only public addresses are connected to (address.ts):
 * checked on the URL's literal address and on every address a name resolves to.
 */
import type { lookup as dnsLookup } from 'node:dns';
import { Agent, fetch } from 'undici';
import { isPrivateHost, publicOnlyLookup } from './address.js';

export type PostResult = { kind: 'answered'; status: number } | { kind: 'no_answer'; error: string };

export interface WebhookTransport {
  post(url: string, body: string, headers: Record<string, string>): Promise<PostResult>;
  close(): Promise<void>;
}

export function webhookTransport(opts: { timeoutMs: number; publicOnly: boolean; resolve?: typeof dnsLookup }): WebhookTransport {
  const agent = new Agent(opts.publicOnly ? { connect: { lookup: publicOnlyLookup(opts.resolve) } } : {});
  return {
    async post(url, body, headers) {
      if (opts.publicOnly && isPrivateHost(new URL(url).hostname)) return { kind: 'no_answer', error: 'refused: not a public address' };
      try {
        const res = await fetch(url, {
          method: 'POST', body, headers, dispatcher: agent,
          // A redirect is not a delivery: following it would let an endpoint point our
          // signed requests anywhere, internal addresses included.
          redirect: 'manual',
          signal: AbortSignal.timeout(opts.timeoutMs),
        });
        await res.body?.cancel().catch(() => {});
        return { kind: 'answered', status: res.status };
      } catch (err) {
        return { kind: 'no_answer', error: reason(err, opts.timeoutMs) };
      }
    },
    close: () => agent.close(),
  };
}

function reason(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  if (e.cause?.code === 'ENOTPUBLIC') return 'refused: not a public address';
  const cause = e.cause?.code ?? e.cause?.message ?? e.message ?? 'request failed';
  return `connection failed: ${cause}`.slice(0, 500);
}
