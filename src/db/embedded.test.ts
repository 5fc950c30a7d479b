import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../shared/logger.js';
import { newSecret } from '../secrets.js';
import { startEmbeddedPostgres } from './embedded.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'konpay-embedded-'));
  await chmod(dir, 0o755);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const logger = createLogger({ level: 'silent', knownSecrets: [] });

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

describe('embedded PostgreSQL', () => {
  it('initialises a real server in the data folder, keeps data across restarts, and wants its password', async () => {
    const password = newSecret();
    const opts = { dir: join(dir, 'pg'), password, database: 'konpay', logger };
    const first = await startEmbeddedPostgres(opts);
    expect(first.owned).toBe(true);
    const [version] = await query<{ server_version_num: string }>(first.url, 'SHOW server_version_num');
    expect(Number(version!.server_version_num)).toBeGreaterThanOrEqual(150000);
    await query(first.url, 'CREATE TABLE kept (v text); INSERT INTO kept VALUES (\'still here\')');
    // scram-sha-256: a wrong password is refused.
    await expect(query(first.url.replace(encodeURIComponent(password), 'wrong'), 'SELECT 1')).rejects.toThrow(/password authentication failed/);
    await first.stop();
    await expect(query(first.url, 'SELECT 1')).rejects.toThrow();

    const second = await startEmbeddedPostgres(opts);
    try {
      const rows = await query<{ v: string }>(second.url, 'SELECT v FROM kept');
      expect(rows).toEqual([{ v: 'still here' }]);
      // When we are root the server runs as another user that owns only its folder.
      if (process.getuid?.() === 0) expect((await stat(opts.dir)).uid).not.toBe(0);
    } finally {
      await second.stop();
    }
  });

  it('reuses a server that an earlier process left running on the same folder', async () => {
    const opts = { dir: join(dir, 'pg2'), password: newSecret(), database: 'konpay', logger };
    const owner = await startEmbeddedPostgres(opts);
    try {
      const borrower = await startEmbeddedPostgres(opts);
      expect(borrower.owned).toBe(false);
      expect(borrower.url).toBe(owner.url);
      await borrower.stop(); // does not stop a server it does not own
      expect(await query(owner.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await owner.stop();
    }
  });
});
