/**
 * A client for the POS API: signs and sends. Browser-safe (fetch, Web Crypto), so the
 * POS web page can use it as it is.
 *
 * @example
 *   const pos = new PosClient({ baseUrl: 'http://localhost:3000', keyId: 'pk_…', secret: 'sk_…' });
 *   const { status, json } = await pos.request('GET', '/pos/v1/terminal');
 */
import { signRequest, type SignedRequest } from './signing.js';

export { signRequest, type SignedRequest } from './signing.js';

export interface PosClientOptions {
  baseUrl: string;
  keyId: string;
  secret: string;
  /** Source of the signing time; the terminal's own clock by default. */
  clock?: { now(): Date };
  fetch?: typeof fetch;
}

export interface PosResponse {
  status: number;
  headers: Headers;
  /** The parsed body; undefined when it was empty or not JSON. */
  json: unknown;
}

export interface RequestOptions {
  /** Sent as Idempotency-Key: a retry of a money-moving call must repeat it (a new nonce and signature each time). */
  idempotencyKey?: string;
}

export interface PreparedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  signed: SignedRequest;
}

export class PosClient {
  readonly #opts: PosClientOptions;

  constructor(opts: PosClientOptions) {
    this.#opts = opts;
  }

  /**
   * Builds the signed request without sending it, for tests that sign by hand and tamper.
   * The signed path is the one fetch will send: `new URL(path, baseUrl)` normalised.
   */
  async prepare(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<PreparedRequest> {
    const url = new URL(path, this.#opts.baseUrl);
    const text = body === undefined ? undefined : JSON.stringify(body);
    const signed = await signRequest({
      keyId: this.#opts.keyId, secret: this.#opts.secret, method: method.toUpperCase(),
      path: url.pathname + url.search, body: text, now: () => (this.#opts.clock?.now() ?? new Date()),
    });
    const headers: Record<string, string> = {
      ...signed.headers,
      ...(text === undefined ? {} : { 'content-type': 'application/json' }),
      ...(opts.idempotencyKey === undefined ? {} : { 'idempotency-key': opts.idempotencyKey }),
    };
    return { url: url.toString(), method: method.toUpperCase(), headers, body: text, signed };
  }

  /** Signs (a fresh nonce every call) and sends; a retry is a new call, hence a new signature. */
  async request(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<PosResponse> {
    const p = await this.prepare(method, path, body, opts);
    return send(p, this.#opts.fetch ?? fetch);
  }
}

/** Sends a prepared request as it is (tests alter it first). */
export async function send(p: Pick<PreparedRequest, 'url' | 'method' | 'headers' | 'body'>, fetchFn: typeof fetch = fetch): Promise<PosResponse> {
  const res = await fetchFn(p.url, { method: p.method, headers: p.headers, ...(p.body === undefined ? {} : { body: p.body }) });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json };
}
