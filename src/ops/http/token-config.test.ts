/** OPERATOR_API_TOKEN: generated outside production, required to switch the operator API on in production. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb } from '../../../test/harness/db.js';
import { LogCapture } from '../../../test/harness/konpay.js';
import { ConfigError, loadConfig, type Config } from '../../config.js';
import { newSecret } from '../../secrets.js';
import { startKonpay } from '../../server.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'konpay-ops-config-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const production = (extra: Record<string, string> = {}) => ({
  NODE_ENV: 'production', DATABASE_URL: 'postgres://konpay@db.internal:5432/konpay', PUBLIC_URL: 'https://pay.example.jp',
  KONPAY_PASSWORD_PEPPER: newSecret(), KONPAY_SIGNING_KEY: newSecret(), KONPAY_ENCRYPTION_KEY: newSecret(), KONPAY_DATA_DIR: dir, ...extra,
});

describe('OPERATOR_API_TOKEN', () => {
  it('outside production is generated once into secrets.json, at least 32 characters, and reused', async () => {
    const a = await loadConfig({ KONPAY_DATA_DIR: dir });
    const b = await loadConfig({ KONPAY_DATA_DIR: dir });
    expect(a.secrets.operatorApiToken!.length).toBeGreaterThanOrEqual(32);
    expect(b.secrets.operatorApiToken).toBe(a.secrets.operatorApiToken);
    expect(a.operatorApi).toEqual({ tokenSource: 'secrets-file' });
    expect(JSON.parse(await readFile(join(dir, 'secrets.json'), 'utf8')).operatorApiToken).toBe(a.secrets.operatorApiToken);
  });

  it('from the environment wins over the file', async () => {
    const token = 'ops-token-from-the-environment-0123456789';
    const c = await loadConfig({ KONPAY_DATA_DIR: dir, OPERATOR_API_TOKEN: token });
    expect(c.secrets.operatorApiToken).toBe(token);
    expect(c.operatorApi).toEqual({ tokenSource: 'environment' });
  });

  it('shorter than 32 characters stops the server, without echoing the value', async () => {
    const err = await loadConfig({ KONPAY_DATA_DIR: dir, OPERATOR_API_TOKEN: 'short-but-secret-value' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/OPERATOR_API_TOKEN: must be at least 32 characters/);
    expect((err as Error).message).not.toContain('short-but-secret-value');
  });

  it('in production is never generated: the operator API is off unless it is set', async () => {
    const off = await loadConfig(production());
    expect(off.secrets.operatorApiToken).toBeUndefined();
    expect(off.operatorApi).toBeUndefined();
    const token = 'x'.repeat(48);
    const on = await loadConfig(production({ OPERATOR_API_TOKEN: token }));
    expect(on.secrets.operatorApiToken).toBe(token);
    expect(on.operatorApi).toEqual({ tokenSource: 'environment' });
    expect(on.webhooks.httpsOnly).toBe(true);
  });

  it('without a token no bearer credential gets in; only console sessions do', async () => {
    const db = await createTestDb();
    try {
      const loaded = await loadConfig({ NODE_ENV: 'test', DATABASE_URL: db.url, KONPAY_DATA_DIR: dir, PORT: '0', CARDNET: 'off', ARGON2_MEMORY_KIB: '1024', ARGON2_ITERATIONS: '1' });
      // As production without OPERATOR_API_TOKEN loads it.
      const config: Config = { ...loaded, secrets: { ...loaded.secrets, operatorApiToken: undefined }, operatorApi: undefined };
      const logs = new LogCapture();
      const konpay = await startKonpay(config, { worker: false, logDestination: logs });
      try {
        const r = await konpay.app.inject({ method: 'POST', url: '/ops/v1/merchants', headers: { authorization: 'Bearer anything-at-all-anything-at-all', 'content-type': 'application/json' }, payload: '{"name":"x"}' });
        expect(r.statusCode).toBe(401);
        expect(r.json()).toMatchObject({ code: 'operator_unauthorized' });
        expect(logs.text).toContain('operator API token off');
      } finally {
        await konpay.close();
      }
    } finally {
      await db.drop();
    }
  });
});
