/**
 * Attacks on the signed POS API (PAY-2): forged, tampered, stale and replayed requests,
 * nonce burning, and terminals that are no longer allowed to act.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import { echoProbe, merchantDeps, newTerminal, problemCode, signedSend, type TestTerminal } from '../../test/harness/pos.js';
import { ManualClock } from '../shared/clock.js';
import { unseal } from '../shared/crypto.js';
import { fromPublicId } from '../shared/ids.js';
import { secretBytes } from '../secrets.js';
import { resumeStore, revokeTerminal, rotateTerminalSecret, suspendMerchant, suspendStore, suspendTerminal, terminalSecretAad } from '../merchants/service.js';
import { send } from './client.js';

const clock = new ManualClock('2026-03-02T03:00:00Z');
let t: TestKonpay;
let term: TestTerminal;
const secrets: string[] = [];

beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false, clock, posRoutes: [echoProbe] });
  await t.konpay.listen();
});
afterAll(() => t.stop());

async function terminal(): Promise<TestTerminal> {
  const x = await newTerminal(t);
  secrets.push(x.secret);
  return x;
}

beforeAll(async () => {
  term = await terminal();
});

describe('signed POS requests are refused when', () => {
  it('unsigned', async () => {
    const r = await send({ url: `${t.konpay.url}/pos/v1/terminal`, method: 'GET', headers: {}, body: undefined });
    expect(r.status).toBe(401);
    expect(problemCode(r)).toBe('pos_signature_missing');
  });

  it('an unsigned write is refused before its body is validated (nothing learnt about the schema)', async () => {
    const r = await send({ url: `${t.konpay.url}/pos/v1/test/echo`, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"amount":"x"}' });
    expect(r.status).toBe(401);
    expect(problemCode(r)).toBe('pos_signature_missing');
  });

  it('signed with a wrong secret', async () => {
    const r = await signedSend(t, term, { secret: `sk_${'A'.repeat(43)}` });
    expect(r.status).toBe(401);
    expect(problemCode(r)).toBe('pos_signature_invalid');
  });

  it('the body is changed after signing', async () => {
    const ok = await signedSend(t, term, { method: 'POST', path: '/pos/v1/test/echo', body: '{"amount":1000}' });
    expect(ok.status).toBe(200);
    const r = await signedSend(t, term, { method: 'POST', path: '/pos/v1/test/echo', body: '{"amount":1000}', sendBody: '{"amount":9000}' });
    expect(r.status).toBe(401);
    expect(problemCode(r)).toBe('pos_signature_invalid');
  });

  it('the path or the query is changed after signing', async () => {
    const query = await signedSend(t, term, { path: '/pos/v1/terminal?lane=1', sendPath: '/pos/v1/terminal?lane=2' });
    expect(problemCode(query)).toBe('pos_signature_invalid');
    const dropped = await signedSend(t, term, { path: '/pos/v1/terminal?lane=1', sendPath: '/pos/v1/terminal' });
    expect(problemCode(dropped)).toBe('pos_signature_invalid');
    const path = await signedSend(t, term, { method: 'POST', path: '/pos/v1/test/other', body: '{"amount":1}', sendPath: '/pos/v1/test/echo' });
    expect(problemCode(path)).toBe('pos_signature_invalid');
    const control = await signedSend(t, term, { method: 'POST', path: '/pos/v1/test/echo', body: '{"amount":1}' });
    expect(control.status).toBe(200); // the same request untampered passes
  });

  it('the timestamp is 301 s old or 301 s ahead (300 s either way still passes)', async () => {
    const now = Math.floor(clock.now().getTime() / 1000);
    for (const [offset, status] of [[-301, 401], [301, 401], [-300, 200], [300, 200]] as const) {
      const r = await signedSend(t, term, { timestamp: now + offset });
      expect(r.status, `offset ${offset}`).toBe(status);
      if (status === 401) expect(problemCode(r)).toBe('pos_timestamp_out_of_range');
    }
  });

  it('the exact same signed request is sent twice (replay)', async () => {
    const prepared = await term.client.prepare('POST', '/pos/v1/test/echo', { amount: 500 });
    expect((await send(prepared)).status).toBe(200);
    const again = await send(prepared);
    expect(again.status).toBe(401);
    expect(problemCode(again)).toBe('pos_nonce_reused');
  });

  it('the same signed request is raced: exactly one is accepted', async () => {
    const prepared = await term.client.prepare('POST', '/pos/v1/test/echo', { amount: 700 });
    const all = await Promise.all(Array.from({ length: 6 }, () => send(prepared)));
    expect(all.filter((r) => r.status === 200)).toHaveLength(1);
    expect(all.filter((r) => problemCode(r) === 'pos_nonce_reused')).toHaveLength(5);
  });

  it('a nonce cannot be burnt by a badly signed request: the real one with that nonce still works', async () => {
    const nonce = 'burn-attempt-0123456789';
    const forged = await signedSend(t, term, { nonce, secret: `sk_${'B'.repeat(43)}` });
    expect(problemCode(forged)).toBe('pos_signature_invalid');
    const real = await signedSend(t, term, { nonce });
    expect(real.status).toBe(200);
  });

  it('another terminal\'s key id is sent with this terminal\'s secret', async () => {
    const other = await terminal();
    const r = await signedSend(t, term, { keyId: other.keyId });
    expect(r.status).toBe(401);
    expect(problemCode(r)).toBe('pos_signature_invalid');
  });

  it('the key id is unknown, or a header is malformed', async () => {
    expect(problemCode(await signedSend(t, term, { keyId: 'pk_000000000000000000000000' }))).toBe('pos_key_unknown');
    expect(problemCode(await signedSend(t, term, { nonce: 'short' }))).toBe('pos_signature_malformed');
    expect(problemCode(await signedSend(t, term, { nonce: 'has spaces in it 0123' }))).toBe('pos_signature_malformed');
    expect(problemCode(await signedSend(t, term, { headers: { 'Konpay-Timestamp': '2026-03-02T03:00:00Z' } }))).toBe('pos_signature_malformed');
    expect(problemCode(await signedSend(t, term, { headers: { 'Konpay-Signature': 'v2=abc' } }))).toBe('pos_signature_malformed');
    expect(problemCode(await signedSend(t, term, { headers: { 'Konpay-Nonce': '' } }))).toBe('pos_signature_missing');
  });

  it('the terminal is suspended, its store suspended, or its merchant suspended', async () => {
    const deps = merchantDeps(t);
    const a = await terminal();
    expect(await suspendTerminal(deps, a.terminalId)).toEqual({ kind: 'updated' });
    expect(problemCode(await signedSend(t, a))).toBe('pos_terminal_suspended');

    const b = await terminal();
    await suspendStore(deps, b.storeId);
    const r = await signedSend(t, b);
    expect(r.status).toBe(403);
    expect(problemCode(r)).toBe('pos_store_suspended');
    await resumeStore(deps, b.storeId);
    expect((await signedSend(t, b)).status).toBe(200);

    const c = await terminal();
    await suspendMerchant(deps, c.merchantId);
    expect(problemCode(await signedSend(t, c))).toBe('pos_merchant_suspended');
  });

  it('the terminal is revoked, for good', async () => {
    const deps = merchantDeps(t);
    const x = await terminal();
    expect((await signedSend(t, x)).status).toBe(200);
    expect(await revokeTerminal(deps, x.terminalId)).toEqual({ kind: 'revoked' });
    const r = await signedSend(t, x);
    expect(r.status).toBe(403);
    expect(problemCode(r)).toBe('pos_terminal_revoked');
    expect(await rotateTerminalSecret(deps, x.terminalId)).toEqual({ kind: 'revoked' });
  });

  it('signed with the secret it had before a rotation (the new one works at once)', async () => {
    const x = await terminal();
    const rotated = await rotateTerminalSecret(merchantDeps(t), x.terminalId);
    if (rotated.kind !== 'rotated') throw new Error(rotated.kind);
    secrets.push(rotated.secret);
    expect(rotated.keyId).toBe(x.keyId);
    expect(problemCode(await signedSend(t, x))).toBe('pos_signature_invalid');
    expect((await signedSend(t, { ...x, secret: rotated.secret })).status).toBe(200);
  });
});

describe('terminal secrets', () => {
  it('are stored only sealed, bound to their row', async () => {
    const id = fromPublicId('trm', term.terminalId)!;
    const row = (await t.db.pool.query<Record<string, unknown>>(`SELECT * FROM terminals WHERE id = $1`, [id])).rows[0]!;
    expect(JSON.stringify(row)).not.toContain(term.secret);
    expect(JSON.stringify(row)).not.toContain(term.secret.slice(3)); // nor its random part alone
    const key = secretBytes(t.config.secrets.encryptionKey);
    expect(unseal(key, row.secret_sealed as string, terminalSecretAad(id))).toBe(term.secret);
    expect(() => unseal(key, row.secret_sealed as string, terminalSecretAad(fromPublicId('trm', `trm_${'0'.repeat(32)}`)!))).toThrow();
  });

  it('never reach the logs', () => {
    expect(secrets.length).toBeGreaterThan(5);
    expect(t.logs.lines.length).toBeGreaterThan(20); // the requests above were logged
    for (const s of secrets) {
      expect(t.logs.text).not.toContain(s);
      expect(t.logs.text).not.toContain(s.slice(3));
    }
  });
});
