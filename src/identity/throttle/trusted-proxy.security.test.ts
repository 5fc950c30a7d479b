/**
 * Attack: dodging the per-IP counters with a forged X-Forwarded-For. Any client can send
 * the header; only the proxies named in TRUSTED_PROXIES are believed.
 */
import type { FastifyPluginAsync } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKonpay, type TestKonpay } from '../../../test/harness/konpay.js';
import { loadConfig } from '../../config.js';

const probe: FastifyPluginAsync = async (app) => {
  app.get('/test/ip', { schema: { hide: true } }, async (req) => ({ ip: req.ip }));
};

let direct: TestKonpay;
let behindProxy: TestKonpay;
beforeAll(async () => {
  direct = await startTestKonpay({}, { worker: false, routes: [probe] });
  behindProxy = await startTestKonpay({ TRUSTED_PROXIES: '10.0.0.0/8, 2001:db8:ffff::/48' }, { worker: false, routes: [probe] });
});
afterAll(async () => {
  await direct.stop();
  await behindProxy.stop();
});

async function ipSeen(t: TestKonpay, remoteAddress: string, xff?: string): Promise<string> {
  const res = await t.konpay.app.inject({ method: 'GET', url: '/test/ip', remoteAddress, headers: xff ? { 'x-forwarded-for': xff } : {} });
  return (res.json() as { ip: string }).ip;
}

describe('X-Forwarded-For', () => {
  it('is ignored from a peer that is not a trusted proxy', async () => {
    expect(await ipSeen(direct, '203.0.113.5', '198.51.100.1')).toBe('203.0.113.5');
    expect(await ipSeen(behindProxy, '203.0.113.5', '198.51.100.1')).toBe('203.0.113.5');
    expect(await ipSeen(behindProxy, '2001:db8:1::5', '198.51.100.1')).toBe('2001:db8:1::5');
  });

  it('names the client when a trusted proxy sends it, and only the part the proxies vouch for', async () => {
    expect(await ipSeen(behindProxy, '10.1.2.3', '198.51.100.1')).toBe('198.51.100.1');
    expect(await ipSeen(behindProxy, '2001:db8:ffff::1', '2001:db8:1::5')).toBe('2001:db8:1::5');
    // The client wrote "6.6.6.6" itself; the proxy appended the address it really saw.
    expect(await ipSeen(behindProxy, '10.1.2.3', '6.6.6.6, 198.51.100.1')).toBe('198.51.100.1');
    // Two trusted hops: the first untrusted address from the right is the client.
    expect(await ipSeen(behindProxy, '10.1.2.3', '198.51.100.9, 10.9.9.9')).toBe('198.51.100.9');
  });

  it('cannot be used to spread one address over many per-IP counters', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) {
      const res = await direct.konpay.app.inject({
        method: 'POST', url: '/v1/login', remoteAddress: '203.0.113.5',
        headers: { 'x-forwarded-for': `198.51.${i}.${i}` },
        payload: { identifier: `nobody${i}@example.jp`, password: 'a guess from a list' },
      });
      statuses.push(res.statusCode);
    }
    // 30 free failures for the address, then it waits, whatever the header claimed.
    expect(statuses.slice(0, 31).every((s) => s === 401)).toBe(true);
    expect(statuses[31]).toBe(429);
  });

  it('refuses a TRUSTED_PROXIES entry that is not an address or a CIDR', async () => {
    await expect(loadConfig({ NODE_ENV: 'test', TRUSTED_PROXIES: '10.0.0.0/8,proxy.example.com' })).rejects.toThrow(/TRUSTED_PROXIES/);
  });
});
