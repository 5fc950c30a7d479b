import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import { loadMigrations } from '../db/migrate.js';

let t: TestKonpay;
beforeAll(async () => {
  t = await startTestKonpay();
});
afterAll(() => t.stop());

describe('health and readiness', () => {
  it('answers /health while the process is up', async () => {
    const res = await t.konpay.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('answers /ready with the schema version once every migration is applied', async () => {
    const res = await t.konpay.app.inject({ method: 'GET', url: '/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', migration: (await loadMigrations()).at(-1)!.version });
  });

  it('answers /ready with 503 when a migration is missing from the database', async () => {
    const last = (await loadMigrations()).at(-1)!;
    const { rows } = await t.db.pool.query('DELETE FROM konpay_migrations WHERE version = $1 RETURNING *', [last.version]);
    try {
      const res = await t.konpay.app.inject({ method: 'GET', url: '/ready' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ code: 'service_unavailable', detail: `Migrations pending: ${last.version}.` });
    } finally {
      const r = rows[0] as { version: number; name: string; checksum: string };
      await t.db.pool.query('INSERT INTO konpay_migrations (version, name, checksum) VALUES ($1, $2, $3)', [r.version, r.name, r.checksum]);
    }
  });
});

describe('API reference', () => {
  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const res = await t.konpay.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health', '/ready', '/problems/{code}', '/dev/outbox']));
    expect(Object.keys(doc.paths['/ready']!.get!.responses)).toEqual(expect.arrayContaining(['200', '503']));
    // The zod schema of the querystring became OpenAPI parameters.
    const params = (doc.paths['/dev/outbox']!.get as unknown as { parameters: { name: string }[] }).parameters.map((p) => p.name);
    expect(params).toEqual(expect.arrayContaining(['to', 'channel', 'limit']));
  });

  it('serves a browsable reference at /docs', async () => {
    const res = await t.konpay.app.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toMatch(/swagger-ui/i);
    const asset = await t.konpay.app.inject({ method: 'GET', url: '/docs/static/swagger-ui-bundle.js' });
    expect(asset.statusCode).toBe(200); // served locally, no CDN needed
  });
});
