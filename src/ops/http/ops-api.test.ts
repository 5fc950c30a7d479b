/**
 * The operator API (`/ops/v1`): merchants, stores and terminals managed over HTTP with
 * the interim operator token, each action logged with who, what and which ids.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKonpay, type TestKonpay } from '../../../test/harness/konpay.js';
import { problemCode } from '../../../test/harness/pos.js';
import { opsRequest } from '../../../test/harness/webhooks.js';
import { PosClient } from '../../pos/client.js';

let t: TestKonpay;
beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false });
  await t.konpay.listen();
});
afterAll(() => t.stop());

interface Issued { terminalId: string; keyId: string; secret: string }
interface AuditLine { audit?: { who: string; action: string; ids: Record<string, string>; outcome: string } }
const auditLines = () => t.logs.json().map((l) => (l as AuditLine).audit).filter((a) => a !== undefined);

async function merchantAndStore(): Promise<{ merchantId: string; storeId: string }> {
  const m = await opsRequest<{ id: string }>(t, 'POST', '/ops/v1/merchants', { name: 'Konbini Mart' });
  const s = await opsRequest<{ id: string }>(t, 'POST', `/ops/v1/merchants/${m.json.id}/stores`, { name: 'Shibuya Dogenzaka' });
  return { merchantId: m.json.id, storeId: s.json.id };
}

describe('merchants, stores and terminals', () => {
  it('registers a merchant, a store and a terminal whose answered secret signs POS requests', async () => {
    const m = await opsRequest(t, 'POST', '/ops/v1/merchants', { name: 'Konbini Mart' });
    expect(m.status).toBe(201);
    expect(m.json).toEqual({ id: expect.stringMatching(/^mer_[0-9a-f]{32}$/), name: 'Konbini Mart' });
    const s = await opsRequest(t, 'POST', `/ops/v1/merchants/${m.json.id}/stores`, { name: 'Shibuya Dogenzaka' });
    expect(s.status).toBe(201);
    expect(s.json).toEqual({ id: expect.stringMatching(/^sto_/), merchantId: m.json.id, name: 'Shibuya Dogenzaka' });

    const term = await opsRequest<Issued>(t, 'POST', `/ops/v1/stores/${s.json.id}/terminals`);
    expect(term.status).toBe(201);
    expect(term.headers['cache-control']).toBe('no-store');
    expect(term.json).toEqual({ terminalId: expect.stringMatching(/^trm_/), keyId: expect.stringMatching(/^pk_/), secret: expect.stringMatching(/^sk_/) });
    const pos = new PosClient({ baseUrl: t.konpay.url, keyId: term.json.keyId, secret: term.json.secret });
    expect((await pos.request('GET', '/pos/v1/terminal')).json).toMatchObject({ id: term.json.terminalId, store: { id: s.json.id }, merchant: { id: m.json.id } });

    expect(auditLines().slice(-3)).toEqual([
      { who: 'operator-token', action: 'merchant.create', ids: { merchantId: m.json.id }, outcome: 'created' },
      { who: 'operator-token', action: 'store.create', ids: { merchantId: m.json.id, storeId: s.json.id }, outcome: 'created' },
      { who: 'operator-token', action: 'terminal.create', ids: { storeId: s.json.id, terminalId: term.json.terminalId }, outcome: 'created' },
    ]);
  });

  it('rotates, suspends, resumes and revokes; store suspension reaches its terminals', async () => {
    const { storeId } = await merchantAndStore();
    const first = (await opsRequest<Issued>(t, 'POST', `/ops/v1/stores/${storeId}/terminals`)).json;
    const rotated = await opsRequest<Issued>(t, 'POST', `/ops/v1/terminals/${first.terminalId}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.json).toMatchObject({ terminalId: first.terminalId, keyId: first.keyId });
    expect(rotated.json.secret).not.toBe(first.secret);
    const client = (secret: string) => new PosClient({ baseUrl: t.konpay.url, keyId: first.keyId, secret });
    expect((await client(first.secret).request('GET', '/pos/v1/terminal')).status).toBe(401);
    const pos = client(rotated.json.secret);
    expect((await pos.request('GET', '/pos/v1/terminal')).status).toBe(200);

    expect((await opsRequest(t, 'POST', `/ops/v1/stores/${storeId}/suspend`)).json).toEqual({ id: storeId, status: 'suspended' });
    expect(problemCode(await pos.request('GET', '/pos/v1/terminal'))).toBe('pos_store_suspended');
    expect((await opsRequest(t, 'POST', `/ops/v1/stores/${storeId}/resume`)).json).toEqual({ id: storeId, status: 'active' });
    expect((await opsRequest(t, 'POST', `/ops/v1/terminals/${first.terminalId}/suspend`)).json).toEqual({ id: first.terminalId, status: 'suspended' });
    expect(problemCode(await pos.request('GET', '/pos/v1/terminal'))).toBe('pos_terminal_suspended');
    expect((await opsRequest(t, 'POST', `/ops/v1/terminals/${first.terminalId}/resume`)).status).toBe(200);
    expect((await pos.request('GET', '/pos/v1/terminal')).status).toBe(200);

    expect((await opsRequest(t, 'POST', `/ops/v1/terminals/${first.terminalId}/revoke`)).json).toEqual({ id: first.terminalId, status: 'revoked' });
    expect(problemCode(await pos.request('GET', '/pos/v1/terminal'))).toBe('pos_terminal_revoked');
    for (const action of ['rotate-secret', 'resume', 'suspend']) {
      const r = await opsRequest(t, 'POST', `/ops/v1/terminals/${first.terminalId}/${action}`);
      expect(r.status).toBe(409);
      expect(r.json).toMatchObject({ code: 'terminal_revoked' });
      expect(JSON.stringify(r.json)).not.toMatch(/sk_/);
    }
    expect(auditLines().filter((a) => a.ids.terminalId === first.terminalId).map((a) => `${a.action}:${a.outcome}`)).toEqual([
      'terminal.create:created', 'terminal.rotate_secret:rotated', 'terminal.suspend:updated', 'terminal.resume:updated', 'terminal.revoke:revoked',
      'terminal.rotate_secret:revoked', 'terminal.resume:revoked', 'terminal.suspend:revoked',
    ]);
  });

  it('lists a merchant\'s stores and terminals, without secrets', async () => {
    const { merchantId, storeId } = await merchantAndStore();
    const other = await opsRequest<{ id: string }>(t, 'POST', `/ops/v1/merchants/${merchantId}/stores`, { name: 'Ikebukuro' });
    const a = (await opsRequest<Issued>(t, 'POST', `/ops/v1/stores/${storeId}/terminals`)).json;
    const b = (await opsRequest<Issued>(t, 'POST', `/ops/v1/stores/${storeId}/terminals`)).json;
    await opsRequest(t, 'POST', `/ops/v1/terminals/${b.terminalId}/revoke`);
    const r = await opsRequest(t, 'GET', `/ops/v1/merchants/${merchantId}/stores`);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      merchant: { id: merchantId, name: 'Konbini Mart', status: 'active', createdAt: expect.any(String) },
      stores: [
        {
          id: storeId, name: 'Shibuya Dogenzaka', status: 'active', createdAt: expect.any(String),
          terminals: [
            { id: a.terminalId, keyId: a.keyId, status: 'active', createdAt: expect.any(String), rotatedAt: null, revokedAt: null },
            { id: b.terminalId, keyId: b.keyId, status: 'revoked', createdAt: expect.any(String), rotatedAt: null, revokedAt: expect.any(String) },
          ],
        },
        { id: other.json.id, name: 'Ikebukuro', status: 'active', createdAt: expect.any(String), terminals: [] },
      ],
    });
    for (const s of [a.secret, b.secret]) expect(JSON.stringify(r.json)).not.toContain(s);
  });

  it('answers 404 with the right code for unknown or malformed ids, and 400 for bad bodies', async () => {
    const zero = '0'.repeat(32);
    const cases: [string, string, string][] = [
      ['GET', `/ops/v1/merchants/mer_${zero}/stores`, 'merchant_not_found'],
      ['POST', `/ops/v1/merchants/sto_${zero}/stores`, 'merchant_not_found'],
      ['POST', `/ops/v1/stores/sto_${zero}/terminals`, 'store_not_found'],
      ['POST', `/ops/v1/stores/nonsense/suspend`, 'store_not_found'],
      ['POST', `/ops/v1/terminals/trm_${zero}/rotate-secret`, 'terminal_not_found'],
      ['POST', `/ops/v1/terminals/trm_${zero}/revoke`, 'terminal_not_found'],
      ['POST', `/ops/v1/merchants/mer_${zero}/suspend`, 'merchant_not_found'],
    ];
    for (const [method, url, code] of cases) {
      const r = await opsRequest(t, method as 'GET' | 'POST', url, url.endsWith('/stores') && method === 'POST' ? { name: 'x' } : undefined);
      expect([url, r.status, (r.json as { code: string }).code]).toEqual([url, 404, code]);
    }
    const bad = await opsRequest(t, 'POST', '/ops/v1/merchants', { name: '', admin: true });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ code: 'validation_failed' });
  });
});
