/**
 * The terminal cache (POS_TERMINAL_CACHE_MS): what it remembers, for how long by the
 * injected clock, and what a server with it on accepts and refuses. Changes made
 * through `merchantDeps(t)` stand for another process (the ops CLI, another server):
 * this server's cache is not told of them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import { merchantDeps, newTerminal, problemCode, signedSend, type TestTerminal } from '../../test/harness/pos.js';
import { opsRequest } from '../../test/harness/webhooks.js';
import { insertTerminal, type TerminalChainRow } from '../merchants/repo.js';
import { createMerchant, createStore, resumeStore, revokeTerminal, rotateTerminalSecret, suspendStore, terminalSecretAad } from '../merchants/service.js';
import { secretBytes } from '../secrets.js';
import { ManualClock } from '../shared/clock.js';
import { randomToken, seal } from '../shared/crypto.js';
import { fromPublicId, newUuid } from '../shared/ids.js';
import { TerminalCache } from './terminal-cache.js';

const TTL = 1000;
const clock = new ManualClock('2026-03-02T03:00:00Z');

const row = (keyId: string, over: Partial<TerminalChainRow> = {}): TerminalChainRow => ({
  id: `t-${keyId}`, key_id: keyId, secret_sealed: 'sealed', status: 'active',
  store_id: 's-1', store_name: 'Shibuya', store_status: 'active', merchant_id: 'm-1', merchant_name: 'Konbini Mart', merchant_status: 'active',
  ...over,
});

/** A cache over an in-memory table, counting its database reads. */
function cacheOver(table: Map<string, TerminalChainRow>, opts: { ttlMs?: number; maxEntries?: number } = {}) {
  const reads: string[] = [];
  const cache = new TerminalCache({
    load: async (keyId) => {
      reads.push(keyId);
      return table.get(keyId);
    },
    clock, ttlMs: opts.ttlMs ?? TTL, ...(opts.maxEntries === undefined ? {} : { maxEntries: opts.maxEntries }),
  });
  return { cache, reads };
}

describe('TerminalCache', () => {
  it('serves a found row from memory until the clock passes the time-to-live, then reads it again', async () => {
    const { cache, reads } = cacheOver(new Map([['pk_a', row('pk_a')]]));
    expect(await cache.find('pk_a')).toMatchObject({ remembered: false, row: { key_id: 'pk_a' } });
    clock.advance(TTL - 1);
    expect(await cache.find('pk_a')).toMatchObject({ remembered: true });
    clock.advance(1);
    expect(await cache.find('pk_a')).toMatchObject({ remembered: false });
    expect(reads).toEqual(['pk_a', 'pk_a']);
  });

  it('never remembers an unknown key id: a terminal registered a moment later is found at once', async () => {
    const table = new Map<string, TerminalChainRow>();
    const { cache, reads } = cacheOver(table);
    expect(await cache.find('pk_new')).toEqual({ row: undefined, remembered: false });
    expect(await cache.find('pk_new')).toEqual({ row: undefined, remembered: false });
    table.set('pk_new', row('pk_new'));
    expect(await cache.find('pk_new')).toMatchObject({ row: { key_id: 'pk_new' }, remembered: false });
    expect(reads).toHaveLength(3);
    expect(cache.size).toBe(1);
  });

  it('with a time-to-live of 0 reads the database every time and keeps nothing', async () => {
    const { cache, reads } = cacheOver(new Map([['pk_a', row('pk_a')]]), { ttlMs: 0 });
    for (let i = 0; i < 3; i++) expect((await cache.find('pk_a')).remembered).toBe(false);
    expect(reads).toHaveLength(3);
    expect(cache.size).toBe(0);
  });

  it('forgets a terminal, or every terminal of a store or a merchant, when told of a change', async () => {
    const table = new Map([
      ['pk_a', row('pk_a')], ['pk_b', row('pk_b', { store_id: 's-2' })], ['pk_c', row('pk_c', { store_id: 's-3', merchant_id: 'm-2' })],
    ]);
    const { cache } = cacheOver(table);
    const remembered = async () => {
      const out: string[] = [];
      for (const k of ['pk_a', 'pk_b', 'pk_c']) if ((await cache.find(k)).remembered) out.push(k);
      return out;
    };
    await remembered();
    expect(await remembered()).toEqual(['pk_a', 'pk_b', 'pk_c']);
    cache.forget({ terminalId: 't-pk_a' });
    expect(await remembered()).toEqual(['pk_b', 'pk_c']);
    cache.forget({ storeId: 's-2' });
    expect(await remembered()).toEqual(['pk_a', 'pk_c']);
    cache.forget({ merchantId: 'm-1' });
    expect(await remembered()).toEqual(['pk_c']);
  });

  it('does not keep a row read before a change it was told of', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const cache = new TerminalCache({ load: async (k) => (await gate, row(k)), clock, ttlMs: TTL });
    const pending = cache.find('pk_a');
    cache.forget({ terminalId: 't-pk_a' }); // the change commits while the read is in flight
    release();
    expect((await pending).row?.key_id).toBe('pk_a');
    expect(cache.size).toBe(0);
  });

  it('holds at most maxEntries rows, dropping the oldest read', async () => {
    const table = new Map(['pk_1', 'pk_2', 'pk_3', 'pk_4'].map((k) => [k, row(k)]));
    const { cache } = cacheOver(table, { maxEntries: 3 });
    for (const k of table.keys()) await cache.find(k);
    expect(cache.size).toBe(3);
    expect((await cache.find('pk_1')).remembered).toBe(false);
    expect((await cache.find('pk_4')).remembered).toBe(true);
  });
});

describe(`a server with POS_TERMINAL_CACHE_MS=${TTL}`, () => {
  let t: TestKonpay;
  beforeAll(async () => {
    t = await startTestKonpay({ POS_TERMINAL_CACHE_MS: String(TTL) }, { worker: false, clock });
    await t.konpay.listen();
  });
  afterAll(() => t.stop());

  const status = async (term: TestTerminal) => {
    const r = await signedSend(t, term);
    return r.status === 200 ? 200 : `${r.status} ${problemCode(r)}`;
  };

  it('refuses a terminal revoked elsewhere once the clock passes the time-to-live', async () => {
    const x = await newTerminal(t);
    expect(await status(x)).toBe(200); // remembered from here
    expect(await revokeTerminal(merchantDeps(t), x.terminalId)).toEqual({ kind: 'revoked' });
    expect(await status(x)).toBe(200); // the trade-off: this server has not read the change yet
    clock.advance(TTL - 1);
    expect(await status(x)).toBe(200);
    clock.advance(1);
    expect(await status(x)).toBe('403 pos_terminal_revoked');
    clock.advance(TTL * 5);
    expect(await status(x)).toBe('403 pos_terminal_revoked');
  });

  it('stops accepting a secret rotated elsewhere once the clock passes the time-to-live', async () => {
    const x = await newTerminal(t);
    expect(await status(x)).toBe(200);
    const rotated = await rotateTerminalSecret(merchantDeps(t), x.terminalId);
    if (rotated.kind !== 'rotated') throw new Error(rotated.kind);
    expect(await status(x)).toBe(200); // the old secret, within the time-to-live
    clock.advance(TTL);
    expect(await status(x)).toBe('401 pos_signature_invalid');
    expect(await status({ ...x, secret: rotated.secret })).toBe(200);
  });

  it('accepts a new secret at once (a refusal from memory is checked against the database), and then refuses the old one', async () => {
    const x = await newTerminal(t);
    expect(await status(x)).toBe(200);
    const rotated = await rotateTerminalSecret(merchantDeps(t), x.terminalId);
    if (rotated.kind !== 'rotated') throw new Error(rotated.kind);
    expect(await status({ ...x, secret: rotated.secret })).toBe(200);
    expect(await status(x)).toBe('401 pos_signature_invalid');
  });

  it('serves a store resumed elsewhere at once, though it remembered it suspended', async () => {
    const deps = merchantDeps(t);
    const x = await newTerminal(t);
    await suspendStore(deps, x.storeId);
    expect(await status(x)).toBe('403 pos_store_suspended'); // read, and remembered suspended
    await resumeStore(deps, x.storeId);
    expect(await status(x)).toBe(200);
  });

  it('never serves an unknown key id from memory: a terminal registered with it afterwards works at once', async () => {
    const deps = merchantDeps(t);
    const m = await createMerchant(deps, { name: 'Konbini Mart late' });
    const s = await createStore(deps, { merchantId: m.id, name: 'Ikebukuro' });
    if (s.kind !== 'created') throw new Error(s.kind);
    const keyId = `pk_${'7'.repeat(24)}`;
    const secret = randomToken('sk', 32);
    const late = { keyId, secret } as TestTerminal;
    expect(await status(late)).toBe('401 pos_key_unknown');
    const id = newUuid();
    const sealed = seal(secretBytes(t.config.secrets.encryptionKey), secret, terminalSecretAad(id));
    expect(await insertTerminal(t.db.pool, { id, storeId: fromPublicId('sto', s.id)!, keyId, secretSealed: sealed, now: clock.now() })).toBe(true);
    expect(await status(late)).toBe(200);
  });

  it('hears of changes made through its own operator API at once', async () => {
    const a = await newTerminal(t);
    const b = await newTerminal(t);
    const c = await newTerminal(t);
    const d = await newTerminal(t);
    for (const x of [a, b, c, d]) expect(await status(x)).toBe(200);
    expect((await opsRequest(t, 'POST', `/ops/v1/terminals/${a.terminalId}/revoke`)).status).toBe(200);
    expect(await status(a)).toBe('403 pos_terminal_revoked');
    expect((await opsRequest(t, 'POST', `/ops/v1/stores/${b.storeId}/suspend`)).status).toBe(200);
    expect(await status(b)).toBe('403 pos_store_suspended');
    expect((await opsRequest(t, 'POST', `/ops/v1/merchants/${c.merchantId}/suspend`)).status).toBe(200);
    expect(await status(c)).toBe('403 pos_merchant_suspended');
    const rotated = await opsRequest<{ secret: string }>(t, 'POST', `/ops/v1/terminals/${d.terminalId}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(await status(d)).toBe('401 pos_signature_invalid');
    expect(await status({ ...d, secret: rotated.json.secret })).toBe(200);
  });
});
