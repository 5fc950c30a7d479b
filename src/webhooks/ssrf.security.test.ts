/**
 * Attack: a merchant endpoint aimed at Konpay's own network (server-side request forgery).
 * In production a webhook goes to public addresses only: refused when the URL names a
 * private address or localhost, and refused again when connecting if the name resolves
 * to one (DNS rebinding after registration). Development keeps localhost receivers.
 */
import type { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/harness/webhook-receiver.js';
import { isPublicAddress } from './address.js';
import { urlProblem } from './endpoints.js';
import { webhookTransport } from './transport.js';

const NOT_PUBLIC = [
  '127.0.0.1', '127.8.9.10', '0.0.0.0', '10.1.2.3', '172.16.0.1', '172.31.255.254', '192.168.1.1',
  '169.254.169.254', // the cloud metadata service
  '100.64.0.1', '224.0.0.1', '255.255.255.255', '198.18.0.1', '192.0.2.1',
  '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1',
  '::ffff:127.0.0.1', '::ffff:10.0.0.1', // IPv4 mapped into IPv6
  '2002:7f00:1::1', // 6to4 wrapping 127.0.0.1
  '64:ff9b::a00:1', // NAT64 of 10.0.0.1
];
const PUBLIC = ['8.8.8.8', '133.242.0.1', '203.0.114.1', '2001:4860:4860::8888', '2400:cb00::1'];

describe('which addresses are public', () => {
  it.each(NOT_PUBLIC)('refuses %s', (a) => expect(isPublicAddress(a)).toBe(false));
  it.each(PUBLIC)('accepts %s', (a) => expect(isPublicAddress(a)).toBe(true));
  it('refuses what is not an address', () => expect(isPublicAddress('merchant.example')).toBe(false));
});

describe('registering an endpoint in production', () => {
  it.each([
    'https://127.0.0.1/hooks', 'https://localhost/hooks', 'https://api.localhost/hooks', 'https://[::1]/hooks',
    'https://169.254.169.254/latest/meta-data', 'https://10.0.0.5:8443/hooks', 'https://[::ffff:192.168.0.1]/hooks',
    // Spellings the URL parser turns into 127.0.0.1.
    'https://0x7f.1/hooks', 'https://2130706433/hooks', 'https://0177.0.0.1/hooks',
  ])('refuses %s', (url) => {
    expect(urlProblem(url, true, true)).toBe('must not point to a private address or localhost');
  });

  it('accepts a public name and a public address; development accepts localhost', () => {
    expect(urlProblem('https://hooks.merchant.example/konpay', true, true)).toBeUndefined();
    expect(urlProblem('https://8.8.8.8/konpay', true, true)).toBeUndefined();
    expect(urlProblem('http://127.0.0.1:4000/konpay', false, false)).toBeUndefined();
  });
});

describe('connecting to an endpoint in production', () => {
  let receiver: WebhookReceiver;
  beforeAll(async () => { receiver = await startWebhookReceiver(); });
  afterAll(() => receiver?.close());
  const port = () => new URL(receiver.url).port;

  /** A resolver that answers `addresses` for every name: the rebinding attacker's DNS. */
  const answering = (addresses: LookupAddress[]) =>
    ((_host: string, _opts: unknown, cb: (err: null, a: LookupAddress[]) => void) => cb(null, addresses)) as unknown as typeof dnsLookup;

  it('development reaches the local receiver (the control: the receiver answers)', async () => {
    const dev = webhookTransport({ timeoutMs: 2_000, publicOnly: false });
    const before = receiver.requests.length;
    expect(await dev.post(receiver.url, '{}', { 'content-type': 'application/json' })).toEqual({ kind: 'answered', status: 204 });
    expect(receiver.requests.length).toBe(before + 1);
    await dev.close();
  });

  it('refuses a literal loopback address and localhost; the receiver sees nothing', async () => {
    const prod = webhookTransport({ timeoutMs: 2_000, publicOnly: true });
    const before = receiver.requests.length;
    for (const host of ['127.0.0.1', 'localhost', '[::1]']) {
      expect(await prod.post(`http://${host}:${port()}/hooks/konpay`, '{}', {})).toEqual({ kind: 'no_answer', error: 'refused: not a public address' });
    }
    expect(receiver.requests.length).toBe(before);
    await prod.close();
  });

  it('refuses a name that now resolves to loopback (DNS rebinding); the receiver sees nothing', async () => {
    const prod = webhookTransport({ timeoutMs: 2_000, publicOnly: true, resolve: answering([{ address: '127.0.0.1', family: 4 }]) });
    const before = receiver.requests.length;
    expect(await prod.post(`http://hooks.merchant.example:${port()}/hooks/konpay`, '{}', {})).toEqual({ kind: 'no_answer', error: 'refused: not a public address' });
    expect(receiver.requests.length).toBe(before);
    await prod.close();
  });

  it('with a public and a private answer, connects only to the public one', async () => {
    // 203.0.114.1 is public and unreachable from here: the attempt fails or times out
    // rather than reaching the loopback receiver listed first.
    const prod = webhookTransport({
      timeoutMs: 500, publicOnly: true,
      resolve: answering([{ address: '127.0.0.1', family: 4 }, { address: '203.0.114.1', family: 4 }]),
    });
    const before = receiver.requests.length;
    const r = await prod.post(`http://hooks.merchant.example:${port()}/hooks/konpay`, '{}', {});
    expect(r.kind).toBe('no_answer');
    expect(r).not.toEqual({ kind: 'no_answer', error: 'refused: not a public address' });
    expect(receiver.requests.length).toBe(before);
    await prod.close();
  });
});
