/** Merchant, store and terminal use cases against a real database. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../test/harness/db.js';
import { ManualClock } from '../shared/clock.js';
import { unseal } from '../shared/crypto.js';
import { fromPublicId } from '../shared/ids.js';
import { newSecret, secretBytes } from '../secrets.js';
import { findTerminalChain } from './repo.js';
import {
  createMerchant, createStore, createTerminal, resumeTerminal, revokeTerminal, rotateTerminalSecret, suspendStore,
  suspendTerminal, terminalProfile, terminalSecretAad, type MerchantDeps,
} from './service.js';

let db: TestDb;
let deps: MerchantDeps;
const clock = new ManualClock('2026-03-02T03:00:00Z');

beforeAll(async () => {
  db = await createTestDb();
  deps = { pool: db.pool, clock, encryptionKey: secretBytes(newSecret()) };
});
afterAll(() => db.drop());

async function storeId(): Promise<string> {
  const m = await createMerchant(deps, { name: 'Konbini Mart' });
  const s = await createStore(deps, { merchantId: m.id, name: 'Shibuya' });
  if (s.kind !== 'created') throw new Error(s.kind);
  return s.id;
}

describe('merchants and stores', () => {
  it('creates them with public ids', async () => {
    const m = await createMerchant(deps, { name: 'Konbini Mart' });
    expect(m).toEqual({ kind: 'created', id: expect.stringMatching(/^mer_[0-9a-f]{32}$/) });
    expect(await createStore(deps, { merchantId: m.id, name: 'Ikebukuro' })).toEqual({ kind: 'created', id: expect.stringMatching(/^sto_[0-9a-f]{32}$/) });
  });

  it('answers not_found for a missing or malformed merchant, store or terminal', async () => {
    expect(await createStore(deps, { merchantId: `mer_${'0'.repeat(32)}`, name: 'x' })).toEqual({ kind: 'not_found' });
    expect(await createStore(deps, { merchantId: 'sto_nonsense', name: 'x' })).toEqual({ kind: 'not_found' });
    expect(await createTerminal(deps, { storeId: `sto_${'0'.repeat(32)}` })).toEqual({ kind: 'not_found' });
    expect(await suspendStore(deps, `sto_${'0'.repeat(32)}`)).toEqual({ kind: 'not_found' });
    expect(await rotateTerminalSecret(deps, `trm_${'0'.repeat(32)}`)).toEqual({ kind: 'not_found' });
    expect(await revokeTerminal(deps, 'trm_')).toEqual({ kind: 'not_found' });
  });
});

describe('terminals', () => {
  it('are created with a key id and a 256-bit secret shown once and stored sealed', async () => {
    const store = await storeId();
    const t = await createTerminal(deps, { storeId: store });
    if (t.kind !== 'created') throw new Error(t.kind);
    expect(t.keyId).toMatch(/^pk_[0-9a-f]{24}$/);
    expect(t.secret).toMatch(/^sk_[A-Za-z0-9_-]{43}$/);
    const row = (await findTerminalChain(db.pool, { keyId: t.keyId }))!;
    expect(row.secret_sealed).not.toContain(t.secret.slice(3));
    expect(unseal(deps.encryptionKey, row.secret_sealed, terminalSecretAad(row.id))).toBe(t.secret);
    expect(row.status).toBe('active');
    const profile = await terminalProfile(db.pool, row.id);
    expect(profile).toMatchObject({ kind: 'found', id: t.terminalId, keyId: t.keyId, store: { id: store, name: 'Shibuya' }, merchant: { name: 'Konbini Mart' } });
  });

  it('rotate to a new secret under the same key id', async () => {
    const t = await createTerminal(deps, { storeId: await storeId() });
    if (t.kind !== 'created') throw new Error(t.kind);
    const r = await rotateTerminalSecret(deps, t.terminalId);
    expect(r).toMatchObject({ kind: 'rotated', terminalId: t.terminalId, keyId: t.keyId });
    if (r.kind !== 'rotated') throw new Error(r.kind);
    expect(r.secret).not.toBe(t.secret);
    const row = (await findTerminalChain(db.pool, { keyId: t.keyId }))!;
    expect(unseal(deps.encryptionKey, row.secret_sealed, terminalSecretAad(row.id))).toBe(r.secret);
  });

  it('are suspended and resumed, but a revocation is final', async () => {
    const t = await createTerminal(deps, { storeId: await storeId() });
    if (t.kind !== 'created') throw new Error(t.kind);
    expect(await suspendTerminal(deps, t.terminalId)).toEqual({ kind: 'updated' });
    expect(await resumeTerminal(deps, t.terminalId)).toEqual({ kind: 'updated' });
    expect(await revokeTerminal(deps, t.terminalId)).toEqual({ kind: 'revoked' });
    const revokedAt = (await db.pool.query<{ revoked_at: Date }>(`SELECT revoked_at FROM terminals WHERE id = $1`, [fromPublicId('trm', t.terminalId)])).rows[0]!.revoked_at;
    clock.advance(60_000);
    expect(await revokeTerminal(deps, t.terminalId)).toEqual({ kind: 'revoked' });
    const again = (await db.pool.query<{ revoked_at: Date; status: string }>(`SELECT revoked_at, status FROM terminals WHERE id = $1`, [fromPublicId('trm', t.terminalId)])).rows[0]!;
    expect(again).toEqual({ revoked_at: revokedAt, status: 'revoked' });
    expect(await resumeTerminal(deps, t.terminalId)).toEqual({ kind: 'revoked' });
    expect(await suspendTerminal(deps, t.terminalId)).toEqual({ kind: 'revoked' });
    expect(await rotateTerminalSecret(deps, t.terminalId)).toEqual({ kind: 'revoked' });
  });
});
