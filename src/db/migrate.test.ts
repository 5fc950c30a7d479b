import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../test/harness/db.js';
import { createPool } from './pool.js';
import { loadMigrations, migrate, pendingMigrations, type Migration } from './migrate.js';

const dbs: TestDb[] = [];
afterEach(async () => {
  await Promise.all(dbs.splice(0).map((d) => d.drop()));
});

function fake(version: number, sql: string): Migration {
  return { version, name: `step_${version}`, sql, checksum: createHash('sha256').update(sql).digest('hex') };
}

describe('migrations', () => {
  it('ships numbered files that apply to an empty database and are then recorded', async () => {
    const db = await createTestDb({ empty: true });
    dbs.push(db);
    const all = await loadMigrations();
    expect(all.length).toBeGreaterThan(0);
    expect(all.map((m) => m.version)).toEqual([...all.map((m) => m.version)].sort((a, b) => a - b));
    const first = await migrate(db.pool, all);
    expect(first.applied).toEqual(all.map((m) => m.version));
    expect(await pendingMigrations(db.pool, all)).toEqual([]);
    const again = await migrate(db.pool, all);
    expect(again.applied).toEqual([]);
  });

  it('is safe when several servers start at once: each step runs exactly once', async () => {
    const db = await createTestDb({ empty: true });
    dbs.push(db);
    // A step that fails if run twice, so a double application cannot go unnoticed.
    const steps = [fake(1, 'CREATE TABLE once_a (id int)'), fake(2, 'CREATE TABLE once_b (id int); INSERT INTO once_b VALUES (1)')];
    const pools = [1, 2, 3, 4].map(() => createPool({ connectionString: db.url, max: 2 }));
    try {
      const results = await Promise.all(pools.map((p) => migrate(p, steps)));
      expect(results.flatMap((r) => r.applied).sort()).toEqual([1, 2]);
      const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM once_b');
      expect(rows[0]!.n).toBe(1);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('refuses to start when an applied migration was edited afterwards', async () => {
    const db = await createTestDb({ empty: true });
    dbs.push(db);
    await migrate(db.pool, [fake(1, 'CREATE TABLE t1 (id int)')]);
    await expect(migrate(db.pool, [fake(1, 'CREATE TABLE t1 (id bigint)')])).rejects.toThrow(/changed after it was applied/);
  });

  it('applies nothing of a batch whose later step fails', async () => {
    const db = await createTestDb({ empty: true });
    dbs.push(db);
    await expect(migrate(db.pool, [fake(1, 'CREATE TABLE t_ok (id int)'), fake(2, 'CREATE TABLE broken (')])).rejects.toThrow();
    expect(await pendingMigrations(db.pool, [fake(1, ''), fake(2, '')])).toEqual([1, 2]);
    const { rows } = await db.pool.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 't_ok'`);
    expect(rows).toHaveLength(0);
  });
});
