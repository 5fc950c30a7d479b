import { createECDH, createPublicKey, randomBytes, verify, type ECDH } from 'node:crypto';
import { globalAgent } from 'node:https';
import { createServer, type Server } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { generate } from 'selfsigned';
import webpush from 'web-push';
import { freePort } from '../../../test/harness/net.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../outbox/outbox.js';
import type { PushMessage, PushSubscription } from '../port.js';
import { webPushSender, type VapidKeys } from './web-push.js';

/** `http_ece` (the RFC 8188 implementation web-push itself uses) ships no types. */
const ece = createRequire(import.meta.url)('http_ece') as {
  decrypt(body: Buffer, params: { version: 'aes128gcm'; privateKey: ECDH; authSecret: string }): Buffer;
};

/*
 * `web-push` always speaks HTTPS (it calls https.request whatever the endpoint's scheme),
 * so the fake push service is an HTTPS server with a certificate for IP 127.0.0.1
 * made for this run, trusted by the process's default HTTPS agent for this file only.
 */
const tls = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
  keyType: 'ec', curve: 'P-256', algorithm: 'sha256',
  extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
});

interface Recorded {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const requests: Recorded[] = [];
let status = 201;

const pushService: Server = createServer({ key: tls.private, cert: tls.cert }, (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    requests.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks) });
    res.writeHead(status).end();
  });
});

let origin: string;
const savedCa = globalAgent.options.ca;

// The browser's side: its subscription key pair and auth secret.
const browserKeys = createECDH('prime256v1');
browserKeys.generateKeys();
const authSecret = randomBytes(16).toString('base64url');
let subscription: PushSubscription;

const generated = webpush.generateVAPIDKeys();
const vapid: VapidKeys = { ...generated, subject: 'mailto:security@konpay.test' };
const sender = webPushSender(vapid, { timeoutMs: 2_000 });

beforeAll(async () => {
  globalAgent.options.ca = tls.cert;
  await new Promise<void>((resolve) => pushService.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(pushService.address() as AddressInfo).port}`;
  subscription = {
    endpoint: `${origin}/wpush/v2/sub-8c1f`,
    keys: { p256dh: browserKeys.getPublicKey().toString('base64url'), auth: authSecret },
  };
});

afterAll(async () => {
  globalAgent.options.ca = savedCa;
  globalAgent.destroy(); // kept-alive sockets to the fake service
  pushService.closeAllConnections();
  await new Promise<void>((resolve) => pushService.close(() => resolve()));
});

beforeEach(() => {
  status = 201;
  requests.length = 0;
});

function push(extra: Partial<PushMessage> = {}): PushMessage {
  return { channel: 'push', to: 'usr_1', subscription, title: 'Payment received', body: '¥1,200 paid at FamilyMart Shibuya', url: 'https://konpay.test/t/txn_1', ...extra };
}

function decodeJwtPart(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('webPushSender', () => {
  it('POSTs an aes128gcm-encrypted payload with TTL and a valid VAPID authorization', async () => {
    const before = Math.floor(Date.now() / 1000);
    await sender.send(push());

    expect(requests).toHaveLength(1);
    const r = requests[0]!;
    expect(r.method).toBe('POST');
    expect(r.url).toBe('/wpush/v2/sub-8c1f');
    expect(r.headers['content-encoding']).toBe('aes128gcm');
    expect(r.headers.ttl).toBe(String(24 * 3600));

    // Authorization: vapid t=<JWT>, k=<VAPID public key> (RFC 8292 §3).
    const auth = r.headers.authorization ?? '';
    expect(auth.startsWith('vapid t=')).toBe(true);
    expect(auth).toContain(`k=${vapid.publicKey}`);
    const jwt = /t=([^,\s]+)/.exec(auth)?.[1] ?? '';
    const [h, p, s] = jwt.split('.');
    expect(decodeJwtPart(h!)).toMatchObject({ typ: 'JWT', alg: 'ES256' });
    const claims = decodeJwtPart(p!);
    expect(claims.aud).toBe(origin);
    expect(claims.sub).toBe(vapid.subject);
    expect(claims.exp).toBeGreaterThan(before);
    expect(claims.exp).toBeLessThanOrEqual(before + 24 * 3600 + 5);
    // The JWT is signed by the VAPID private key: verify it against the public key.
    const pub = Buffer.from(vapid.publicKey, 'base64url');
    const key = createPublicKey({
      key: { kty: 'EC', crv: 'P-256', x: pub.subarray(1, 33).toString('base64url'), y: pub.subarray(33, 65).toString('base64url') },
      format: 'jwk',
    });
    expect(verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s!, 'base64url'))).toBe(true);

    // Only the subscription's holder can read the payload: decrypt it as the browser would.
    expect(r.body.includes(Buffer.from('Payment received'))).toBe(false);
    const clear = ece.decrypt(r.body, { version: 'aes128gcm', privateKey: browserKeys, authSecret });
    expect(JSON.parse(clear.toString('utf8'))).toEqual({
      title: 'Payment received', body: '¥1,200 paid at FamilyMart Shibuya', url: 'https://konpay.test/t/txn_1',
    });
  });

  it('leaves url out of the payload when the message has none', async () => {
    await sender.send(push({ url: undefined }));
    expect(requests).toHaveLength(1);
    const clear = ece.decrypt(requests[0]!.body, { version: 'aes128gcm', privateKey: browserKeys, authSecret });
    expect(JSON.parse(clear.toString('utf8'))).toEqual({ title: 'Payment received', body: '¥1,200 paid at FamilyMart Shibuya' });
  });

  it('cannot be decrypted with another subscription\'s keys', async () => {
    await sender.send(push());
    const other = createECDH('prime256v1');
    other.generateKeys();
    expect(() => ece.decrypt(requests[0]!.body, { version: 'aes128gcm', privateKey: other, authSecret })).toThrow();
  });

  it.each([
    [410, true],
    [404, true],
    [500, false],
    [429, false],
  ])('answers %i → DeliveryError with permanent=%s', async (code, permanent) => {
    status = code;
    const err: unknown = await sender.send(push()).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).permanent).toBe(permanent);
    expect((err as DeliveryError).message).toBe(`web push: ${code}`);
    expect(requests).toHaveLength(1);
  });

  it('fails temporarily when the push service is unreachable', async () => {
    const port = await freePort();

    const err: unknown = await sender.send(push({ subscription: { ...subscription, endpoint: `https://127.0.0.1:${port}/x` } }))
      .then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).permanent).toBe(false);
    expect((err as DeliveryError).message).toMatch(/ECONNREFUSED/);
  });

  it('fails permanently, without sending, for a subscription web-push cannot use', async () => {
    const broken = { ...subscription, keys: { p256dh: 'not-a-key', auth: authSecret } };
    const err: unknown = await sender.send(push({ subscription: broken })).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).permanent).toBe(true);
    expect(requests).toHaveLength(0);
  });

  it('fails temporarily when the push service does not answer in time', async () => {
    const silent = createServer({ key: tls.private, cert: tls.cert }, () => {}); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    try {
      const quick = webPushSender(vapid, { timeoutMs: 200 });
      const err: unknown = await quick.send(push({ subscription: { ...subscription, endpoint: `https://127.0.0.1:${port}/x` } }))
        .then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(DeliveryError);
      expect((err as DeliveryError).permanent).toBe(false);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
