import { describe, expect, it } from 'vitest';
import { startTestKonpay } from '../../test/harness/konpay.js';
import { createPool } from '../db/pool.js';
import { withTransaction } from '../db/tx.js';

describe('graceful shutdown', () => {
  it('lets in-flight requests finish their transactions, refuses new ones, then closes', async () => {
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));

    const t = await startTestKonpay({}, {
      routes: [async (app) => {
        app.post('/__test/slow-write', async () => {
          await withTransaction(t.konpay.pool, async (c) => {
            await c.query(`INSERT INTO half_written (part) VALUES ('first')`);
            entered();
            await gate; // shutdown starts while we are here
            await c.query(`INSERT INTO half_written (part) VALUES ('second')`);
          });
          return { done: true };
        });
      }],
    });
    await t.db.pool.query('CREATE TABLE half_written (part text NOT NULL)');
    const url = await t.konpay.listen();

    const inFlight = fetch(`${url}/__test/slow-write`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await inside;
    const closed = t.konpay.close();
    await new Promise((r) => setTimeout(r, 50));

    // A request arriving now is turned away (connection refused or 503), never half-served.
    const late = await fetch(`${url}/health`).then((r) => r.status, () => 'refused');
    expect([503, 'refused']).toContain(late);

    release();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    await closed;
    expect(t.konpay.pool.ended).toBe(true);

    const check = createPool({ connectionString: t.db.url, max: 1 });
    const { rows } = await check.query<{ part: string }>('SELECT part FROM half_written ORDER BY part');
    await check.end();
    expect(rows.map((r) => r.part)).toEqual(['first', 'second']);
    await t.db.drop();
  });
});
