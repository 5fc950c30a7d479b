/** The card network over HTTP, as the simulator (`src/cardnet`) speaks it. */
import type { CardNetwork, PspAuthentication, PspCard, PspPayment, PspResult } from './port.js';

export interface SimulatorClientOptions {
  baseUrl: string;
  /** Past this the answer is treated as lost (`timeout`); the request may still have been performed. */
  timeoutMs: number;
}

export function simulatorClient(opts: SimulatorClientOptions): CardNetwork {
  const base = opts.baseUrl.replace(/\/$/, '');
  async function call<T>(method: 'GET' | 'POST', path: string, body?: object): Promise<PspResult<T>> {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: body ? { 'content-type': 'application/json' } : {},
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
    } catch (err) {
      return (err as Error).name === 'TimeoutError' ? { kind: 'timeout' } : { kind: 'unavailable' };
    }
    if (res.status >= 500) return { kind: 'unavailable' };
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) return { kind: 'refused', code: typeof json.code === 'string' ? json.code : 'unknown', status: res.status };
    return { kind: 'ok', value: json as T };
  }
  const pay = (ref: string) => `/cardnet/v1/payments/${encodeURIComponent(ref)}`;
  return {
    getCard: (token) => call<PspCard>('GET', `/cardnet/v1/tokens/${encodeURIComponent(token)}`),
    startAuthentication: (input) => call<PspAuthentication>('POST', '/cardnet/v1/authentications', { ...input, challenge: 'mandate' }),
    getAuthentication: (id) => call<PspAuthentication>('GET', `/cardnet/v1/authentications/${encodeURIComponent(id)}`),
    authorise: (input) => call<PspPayment>('POST', '/cardnet/v1/payments', input),
    getPayment: (ref) => call<PspPayment>('GET', pay(ref)),
    capture: (ref, input) => call<PspPayment>('POST', `${pay(ref)}/capture`, input),
    void: (ref, input) => call<PspPayment>('POST', `${pay(ref)}/void`, input),
    refund: (ref, input) => call<PspPayment>('POST', `${pay(ref)}/refund`, input),
  };
}
