/**
 * Store terminals for tests: a merchant, store and terminal made through the service,
 * a signing client for the test server, and raw signed sends for tampering.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { secretBytes } from '../../src/secrets.js';
import { createMerchant, createStore, createTerminal, type MerchantDeps } from '../../src/merchants/service.js';
import { PosClient, send, type PosResponse } from '../../src/pos/client.js';
import { signRequest, type SignRequestInput } from '../../src/pos/signing.js';
import type { ManualClock } from '../../src/shared/clock.js';
import { startTestKonpay, type TestKonpay } from './konpay.js';

export function merchantDeps(t: TestKonpay): MerchantDeps {
  return { pool: t.konpay.pool, clock: t.konpay.identity.clock, encryptionKey: secretBytes(t.config.secrets.encryptionKey) };
}

export interface TestTerminal {
  merchantId: string;
  storeId: string;
  terminalId: string;
  keyId: string;
  secret: string;
  client: PosClient;
}

let n = 0;

/** A new merchant, store and terminal; the client signs with the server's clock. `t` must be listening. */
export async function newTerminal(t: TestKonpay): Promise<TestTerminal> {
  const deps = merchantDeps(t);
  n++;
  const merchant = await createMerchant(deps, { name: `Konbini Mart ${n}` });
  const store = await createStore(deps, { merchantId: merchant.id, name: `Shibuya ${n}` });
  if (store.kind !== 'created') throw new Error('store not created');
  const terminal = await createTerminal(deps, { storeId: store.id });
  if (terminal.kind !== 'created') throw new Error('terminal not created');
  const { keyId, secret, terminalId } = terminal;
  return {
    merchantId: merchant.id, storeId: store.id, terminalId, keyId, secret,
    client: new PosClient({ baseUrl: t.konpay.url, keyId, secret, clock: deps.clock }),
  };
}

/** Signs with any inputs (defaults from the terminal, now by the server clock) and sends to the test server. */
export async function signedSend(
  t: TestKonpay, term: TestTerminal,
  over: Partial<SignRequestInput> & { sendPath?: string; sendBody?: string; headers?: Record<string, string> } = {},
): Promise<PosResponse> {
  const method = over.method ?? 'GET';
  const path = over.path ?? '/pos/v1/terminal';
  const signed = await signRequest({ keyId: term.keyId, secret: term.secret, method, path, now: () => t.konpay.identity.clock.now(), ...over });
  const body = over.sendBody ?? (typeof over.body === 'string' ? over.body : undefined);
  return send({
    url: `${t.konpay.url}${over.sendPath ?? path}`, method,
    headers: { ...signed.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...over.headers },
    body,
  });
}

/** A signed POST probe inside the POS plugin: echoes the terminal and the parsed body. */
export const echoProbe: FastifyPluginAsyncZod = async (app) => {
  app.post('/pos/v1/test/echo', {
    schema: { body: z.object({ amount: z.number().int() }).strict() },
  }, async (req) => ({ terminal: req.terminal, body: req.body }));
};

export function problemCode(r: PosResponse): string | undefined {
  return (r.json as { code?: string } | undefined)?.code;
}

/**
 * A listening test server (background jobs off, on `clock`) with one store terminal: how
 * every till test begins.
 */
export async function startTill(clock: ManualClock, env: Record<string, string> = {}): Promise<{ t: TestKonpay; term: TestTerminal }> {
  const t = await startTestKonpay(env, { worker: false, clock });
  await t.konpay.listen();
  return { t, term: await newTerminal(t) };
}
