import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { newSecret } from './secrets.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'konpay-config-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const productionEnv = () => ({
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://konpay@db.internal:5432/konpay',
  PUBLIC_URL: 'https://pay.example.jp',
  KONPAY_PASSWORD_PEPPER: newSecret(),
  KONPAY_SIGNING_KEY: newSecret(),
  KONPAY_ENCRYPTION_KEY: newSecret(),
  KONPAY_DATA_DIR: dir,
});

describe('configuration', () => {
  it('starts with no settings at all, on documented defaults', async () => {
    const c = await loadConfig({ KONPAY_DATA_DIR: dir });
    expect(c.http).toMatchObject({ host: '127.0.0.1', port: 3000, publicUrl: 'http://localhost:3000', bodyLimit: 1024 * 1024 });
    expect(c.db.databaseUrl).toBeUndefined(); // → embedded PostgreSQL
    expect(c.notify.devOutbox).toBe(true);
    expect(c.production).toBe(false);
  });

  it('is frozen all the way down', async () => {
    const c = await loadConfig({ KONPAY_DATA_DIR: dir });
    expect(Object.isFrozen(c) && Object.isFrozen(c.http) && Object.isFrozen(c.secrets)).toBe(true);
    expect(() => { (c.http as { port: number }).port = 1; }).toThrow(TypeError);
  });

  it('generates secrets into the data folder once, private to the owner, and reuses them', async () => {
    const first = await loadConfig({ KONPAY_DATA_DIR: dir });
    const second = await loadConfig({ KONPAY_DATA_DIR: dir });
    expect(second.secrets).toEqual(first.secrets);
    for (const s of [first.secrets.passwordPepper, first.secrets.signingKey, first.secrets.encryptionKey]) {
      expect(Buffer.from(s, 'base64url').length).toBeGreaterThanOrEqual(32);
    }
    expect(new Set([first.secrets.passwordPepper, first.secrets.signingKey, first.secrets.encryptionKey]).size).toBe(3);
    const file = join(dir, 'secrets.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8')).signingKey).toBe(first.secrets.signingKey);
  });

  it('gives two servers starting together on a fresh folder the same secrets', async () => {
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => loadConfig({ KONPAY_DATA_DIR: dir })));
    expect(b!.secrets).toEqual(a!.secrets);
    expect(c!.secrets).toEqual(a!.secrets);
  });

  it('prefers secrets from the environment over the generated ones', async () => {
    const pepper = newSecret();
    const c = await loadConfig({ KONPAY_DATA_DIR: dir, KONPAY_PASSWORD_PEPPER: pepper });
    expect(c.secrets.passwordPepper).toBe(pepper);
  });

  it('in production refuses to start without DATABASE_URL, secrets and PUBLIC_URL from the environment', async () => {
    await expect(loadConfig({ NODE_ENV: 'production', KONPAY_DATA_DIR: dir })).rejects.toThrow(
      /DATABASE_URL, KONPAY_PASSWORD_PEPPER, KONPAY_SIGNING_KEY, KONPAY_ENCRYPTION_KEY, PUBLIC_URL/,
    );
    for (const key of ['DATABASE_URL', 'KONPAY_PASSWORD_PEPPER', 'KONPAY_SIGNING_KEY', 'KONPAY_ENCRYPTION_KEY'] as const) {
      const env: Record<string, string> = productionEnv();
      delete env[key];
      await expect(loadConfig(env)).rejects.toThrow(new RegExp(key));
    }
    // …and never writes a secrets file of its own.
    await expect(stat(join(dir, 'secrets.json'))).rejects.toThrow(/ENOENT/);
  });

  it('in production starts when everything comes from the environment, without the dev outbox', async () => {
    const env = productionEnv();
    const c = await loadConfig(env);
    expect(c.production).toBe(true);
    expect(c.notify.devOutbox).toBe(false);
    expect(c.secrets.signingKey).toBe(env.KONPAY_SIGNING_KEY);
    await expect(loadConfig({ ...env, DEV_OUTBOX: 'true' })).rejects.toThrow(/DEV_OUTBOX/);
  });

  it('in production sends webhooks to public addresses only, unless private ones are declared expected', async () => {
    expect((await loadConfig(productionEnv())).webhooks).toMatchObject({ httpsOnly: true, publicOnly: true });
    expect((await loadConfig({ ...productionEnv(), WEBHOOK_PRIVATE_ADDRESSES: 'allow' })).webhooks.publicOnly).toBe(false);
    expect((await loadConfig({ KONPAY_DATA_DIR: dir })).webhooks.publicOnly).toBe(false);
    await expect(loadConfig({ ...productionEnv(), WEBHOOK_PRIVATE_ADDRESSES: 'yes' })).rejects.toThrow(/WEBHOOK_PRIVATE_ADDRESSES/);
  });

  it('refuses weak secrets, naming the variable but never echoing the value', async () => {
    const weak = 'hunter2-short';
    const err = await loadConfig({ ...productionEnv(), KONPAY_SIGNING_KEY: weak }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/KONPAY_SIGNING_KEY must encode at least 32 random bytes/);
    expect((err as Error).message).not.toContain(weak);
  });

  it('lists every invalid setting at once', async () => {
    const err = await loadConfig({ KONPAY_DATA_DIR: dir, PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    for (const key of ['PORT', 'LOG_LEVEL', 'DATABASE_URL']) expect((err as Error).message).toContain(key);
  });

  it('needs both halves of a VAPID key pair', async () => {
    await expect(loadConfig({ KONPAY_DATA_DIR: dir, VAPID_PUBLIC_KEY: 'abc' })).rejects.toThrow(/VAPID/);
  });
});
