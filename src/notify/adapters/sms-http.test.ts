import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '../../../test/harness/net.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../outbox/outbox.js';
import type { SmsMessage } from '../port.js';
import { httpSmsSender } from './sms-http.js';

interface Recorded {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A fake SMS carrier: records every request and answers with `status`. */
const requests: Recorded[] = [];
let status = 200;

const carrier: Server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    requests.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(status < 300 ? { id: 'sms_1', status: 'queued' } : { error: 'nope' }));
  });
});

let base: string;
const TOKEN = 'carrier-token-3f9a';
const message: SmsMessage = { channel: 'sms', to: '+819012345678', text: 'Konpay code: 482913 (valid 5 min). 他人に教えないでください。' };

beforeAll(async () => {
  await new Promise<void>((resolve) => carrier.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(carrier.address() as AddressInfo).port}`;
});

afterAll(async () => {
  carrier.closeAllConnections();
  await new Promise<void>((resolve) => carrier.close(() => resolve()));
});

beforeEach(() => {
  status = 200;
  requests.length = 0;
});

async function failure(promise: Promise<void>): Promise<DeliveryError> {
  const err: unknown = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(DeliveryError);
  return err as DeliveryError;
}

describe('httpSmsSender', () => {
  it('POSTs {from, to, text} as JSON with the bearer token', async () => {
    const sender = httpSmsSender({ url: `${base}/v1/messages`, token: TOKEN, senderId: 'Konpay' });
    await sender.send(message);

    expect(requests).toHaveLength(1);
    const r = requests[0]!;
    expect(r.method).toBe('POST');
    expect(r.url).toBe('/v1/messages');
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(r.body)).toEqual({ from: 'Konpay', to: '+819012345678', text: message.text });
  });

  it('sends no authorization header when no token is configured', async () => {
    const sender = httpSmsSender({ url: base, token: undefined, senderId: 'Konpay' });
    await sender.send(message);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.headers.authorization).toBeUndefined();
  });

  it.each([
    [429, false],
    [500, false],
    [503, false],
    [400, true],
    [401, true],
    [404, true],
  ])('answers %i → DeliveryError with permanent=%s', async (code, permanent) => {
    status = code;
    const sender = httpSmsSender({ url: base, token: TOKEN, senderId: 'Konpay' });
    const err = await failure(sender.send(message));
    expect(err.permanent).toBe(permanent);
    expect(err.message).toBe(`sms gateway answered ${code}`);
    expect(requests).toHaveLength(1);
  });

  it('fails temporarily when the gateway is unreachable', async () => {
    const port = await freePort();

    const sender = httpSmsSender({ url: `http://127.0.0.1:${port}/`, token: TOKEN, senderId: 'Konpay' });
    const err = await failure(sender.send(message));
    expect(err.permanent).toBe(false);
    expect(err.message).toMatch(/^sms gateway unreachable/);
  });

  it('fails temporarily when the gateway does not answer in time', async () => {
    // Accepts the connection, never responds; closed in finally.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as AddressInfo).port;
      const sender = httpSmsSender({ url: `http://127.0.0.1:${port}/`, token: TOKEN, senderId: 'Konpay', timeoutMs: 100 });
      const err = await failure(sender.send(message));
      expect(err.permanent).toBe(false);
      expect(err.message).toBe('sms gateway unreachable: TimeoutError');
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
