/**
 * Attacks on the operator API: no token, a wrong token, a token in the wrong place;
 * and the terminal secret, which only the create and rotate answers may carry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKonpay, type TestKonpay } from '../../../test/harness/konpay.js';
import { opsRequest } from '../../../test/harness/webhooks.js';
import { apiTokenAuthenticator } from './auth.js';

let t: TestKonpay;
let token: string;
beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false });
  token = t.config.secrets.operatorApiToken!;
});
afterAll(() => t.stop());

const counts = async () => (await t.konpay.pool.query(
  `SELECT (SELECT count(*) FROM merchants)::int8 AS merchants, (SELECT count(*) FROM stores)::int8 AS stores,
          (SELECT count(*) FROM terminals)::int8 AS terminals, (SELECT count(*) FROM webhook_endpoints)::int8 AS endpoints,
          (SELECT string_agg(id::text || status || coalesce(rotated_at::text, ''), ',' ORDER BY id) FROM terminals) AS terminal_states,
          (SELECT string_agg(id::text || status, ',' ORDER BY id) FROM stores) AS store_states`,
)).rows[0] as Record<string, unknown>;

async function fixture() {
  const m = await opsRequest<{ id: string }>(t, 'POST', '/ops/v1/merchants', { name: 'Konbini Mart' });
  const s = await opsRequest<{ id: string }>(t, 'POST', `/ops/v1/merchants/${m.json.id}/stores`, { name: 'Shibuya' });
  const term = await opsRequest<{ terminalId: string; secret: string }>(t, 'POST', `/ops/v1/stores/${s.json.id}/terminals`);
  return { merchantId: m.json.id, storeId: s.json.id, terminalId: term.json.terminalId, secret: term.json.secret };
}

describe('attack: calling the operator API without the operator token', () => {
  it('no token, a wrong token, a near miss or another scheme: 401 on every route, and nothing changes', async () => {
    const f = await fixture();
    const before = await counts();
    const wrong = [null, 'not-the-token-but-long-enough-to-pass-32', token.slice(0, -1), `${token}x`, token.toUpperCase(), ''];
    const routes: [('GET' | 'POST' | 'DELETE'), string, unknown?][] = [
      ['POST', '/ops/v1/merchants', { name: 'Evil Mart' }],
      ['POST', `/ops/v1/merchants/${f.merchantId}/stores`, { name: 'Evil Store' }],
      ['GET', `/ops/v1/merchants/${f.merchantId}/stores`],
      ['POST', `/ops/v1/stores/${f.storeId}/terminals`],
      ['POST', `/ops/v1/terminals/${f.terminalId}/rotate-secret`],
      ['POST', `/ops/v1/terminals/${f.terminalId}/revoke`],
      ['POST', `/ops/v1/terminals/${f.terminalId}/suspend`],
      ['POST', `/ops/v1/stores/${f.storeId}/suspend`],
      ['POST', `/ops/v1/merchants/${f.merchantId}/webhook-endpoints`, { url: 'https://evil.example/hook' }],
      ['GET', `/ops/v1/merchants/${f.merchantId}/webhook-deliveries`],
      ['POST', `/ops/v1/webhooks/events/evt_${'0'.repeat(32)}/replay`],
    ];
    for (const [method, url, body] of routes) {
      for (const guess of wrong) {
        const r = await opsRequest(t, method, url, body, guess);
        expect([url, guess?.slice(0, 6), r.status, (r.json as { code: string }).code]).toEqual([url, guess?.slice(0, 6), 401, 'operator_unauthorized']);
        expect(r.headers['www-authenticate']).toBe('Bearer realm="konpay-ops"');
        expect(JSON.stringify(r.json)).not.toMatch(/sk_|whsec_/);
      }
    }
    expect(await counts()).toEqual(before);
  });

  it('the token only counts as a bearer Authorization header', async () => {
    const before = await counts();
    for (const headers of [
      { authorization: `Basic ${Buffer.from(`ops:${token}`).toString('base64')}` },
      { authorization: token },
      { 'x-api-key': token },
      { cookie: `token=${token}` },
    ]) {
      const r = await t.konpay.app.inject({ method: 'POST', url: '/ops/v1/merchants', headers: { ...headers, 'content-type': 'application/json' }, payload: '{"name":"x"}' });
      expect(r.statusCode).toBe(401);
    }
    const r = await t.konpay.app.inject({ method: 'POST', url: `/ops/v1/merchants?token=${token}`, headers: { 'content-type': 'application/json' }, payload: '{"name":"x"}' });
    expect(r.statusCode).toBe(401);
    expect(await counts()).toEqual(before);
  });

  it('is refused before the body is looked at: an unauthenticated caller learns nothing about the contract', async () => {
    const r = await opsRequest(t, 'POST', '/ops/v1/merchants', { nonsense: true }, null);
    expect(r.status).toBe(401);
    expect(JSON.stringify(r.json)).not.toMatch(/name|validation/);
  });

  it('never logs the token, and logs the refusals without it', async () => {
    await opsRequest(t, 'POST', '/ops/v1/merchants', { name: 'x' }, `${token}x`);
    expect(t.logs.text).toContain('operator authentication refused');
    expect(t.logs.text).not.toContain(token);
    expect(t.logs.text).toContain('its token is in the secrets file');
  });

  it('compares in constant time over hashes: the right token passes, anything else does not', async () => {
    const check = apiTokenAuthenticator('a'.repeat(40));
    const req = (authorization?: string) => ({ headers: authorization === undefined ? {} : { authorization } }) as Parameters<typeof check>[0];
    expect(await check(req(`Bearer ${'a'.repeat(40)}`))).toEqual({ id: 'operator-token', via: 'api-token', role: 'admin' });
    expect(await check(req(`bearer ${'a'.repeat(40)}`))).toBeDefined();
    for (const h of [undefined, `Bearer ${'a'.repeat(39)}`, `Bearer ${'a'.repeat(41)}`, `Bearer ${'a'.repeat(40)} extra`, 'Bearer ']) {
      expect(await check(req(h))).toBeUndefined();
    }
  });
});

describe('attack: reading a terminal secret after it was issued', () => {
  it('appears only in the create and rotate answers: not in lists, refusals or logs', async () => {
    const f = await fixture();
    const rotated = await opsRequest<{ secret: string }>(t, 'POST', `/ops/v1/terminals/${f.terminalId}/rotate-secret`);
    const secrets = [f.secret, rotated.json.secret];
    const answers = [
      await opsRequest(t, 'GET', `/ops/v1/merchants/${f.merchantId}/stores`),
      await opsRequest(t, 'POST', `/ops/v1/terminals/${f.terminalId}/suspend`),
      await opsRequest(t, 'POST', `/ops/v1/terminals/${f.terminalId}/revoke`),
      await opsRequest(t, 'POST', `/ops/v1/terminals/${f.terminalId}/rotate-secret`),
    ];
    for (const a of answers) for (const s of secrets) expect(JSON.stringify(a.json)).not.toContain(s.slice(3));
    for (const s of secrets) expect(t.logs.text).not.toContain(s.slice(3));
  });
});
