import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import { errorCatalogue } from '../shared/errors.js';
import { ERROR_MODULES } from '../server.js';

let t: TestKonpay;
beforeAll(async () => {
  t = await startTestKonpay({}, {
    routes: [async (app) => {
      // A route that fails like a bug would, with internals in its message.
      app.get('/__test/boom', async () => {
        throw new Error('relation "secret_table" does not exist at /srv/konpay/src/x.ts:42');
      });
      // A JSON endpoint like every write endpoint of the API.
      app.withTypeProvider<ZodTypeProvider>().post('/__test/echo', {
        schema: { body: z.object({ amount: z.number().int().positive(), note: z.string().max(20).optional() }).strict() },
      }, async (req) => ({ got: req.body }));
    }],
  });
});
afterAll(() => t.stop());

function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, status: number, code: string) {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  const body = res.json() as Record<string, unknown>;
  expect(body).toMatchObject({ status, code, type: `${t.config.http.publicUrl}/problems/${code}` });
  expect(typeof body.title).toBe('string');
  expect(body.requestId).toMatch(/^req_[0-9a-f]{32}$/);
  expect(res.headers['x-request-id']).toBe(body.requestId);
  return body;
}

describe('problem+json for bad requests', () => {
  it('answers an unknown route with 404 not_found', async () => {
    const res = await t.konpay.app.inject({ method: 'GET', url: '/v1/nowhere?x=1' });
    const body = expectProblem(res, 404, 'not_found');
    expect(body.detail).toBe('GET /v1/nowhere is not a Konpay endpoint.');
  });

  it('answers malformed JSON with 400 malformed_json', async () => {
    const res = await t.konpay.app.inject({ method: 'POST', url: '/__test/echo', headers: { 'content-type': 'application/json' }, payload: '{"a":' });
    expectProblem(res, 400, 'malformed_json');
  });

  it('refuses prototype-poisoning keys', async () => {
    const res = await t.konpay.app.inject({ method: 'POST', url: '/__test/echo', headers: { 'content-type': 'application/json' }, payload: '{"amount":1,"__proto__":{"admin":true}}' });
    expectProblem(res, 400, 'malformed_json');
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it.each(['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
    'answers content type %s with 415', async (type) => {
      const res = await t.konpay.app.inject({ method: 'POST', url: '/__test/echo', headers: { 'content-type': type }, payload: 'a=1' });
      expectProblem(res, 415, 'unsupported_media_type');
    });

  it('answers a body over 1 MiB with 413', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(1024 * 1024) });
    const res = await t.konpay.app.inject({ method: 'POST', url: '/__test/echo', headers: { 'content-type': 'application/json' }, payload: big });
    expectProblem(res, 413, 'payload_too_large');
  });

  it('refuses wrong types, fractions, extra fields and missing fields in a JSON body', async () => {
    for (const payload of ['{"amount":"100"}', '{"amount":1.5}', '{"amount":1,"extra":true}', '{}', '[]', 'null', '{"amount":1e400}']) {
      const res = await t.konpay.app.inject({ method: 'POST', url: '/__test/echo', headers: { 'content-type': 'application/json' }, payload });
      expectProblem(res, 400, 'validation_failed');
    }
    const ok = await t.konpay.app.inject({ method: 'POST', url: '/__test/echo', payload: { amount: 100 } });
    expect(ok.json()).toEqual({ got: { amount: 100 } });
  });

  it('answers failed validation with the fields that were refused', async () => {
    const res = await t.konpay.app.inject({ method: 'GET', url: '/dev/outbox?limit=abc&channel=fax' });
    const body = expectProblem(res, 400, 'validation_failed');
    const paths = (body.errors as { path: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(['querystring.channel', 'querystring.limit']);
  });

  it('hides internals of an unexpected failure behind 500 internal_error', async () => {
    const res = await t.konpay.app.inject({ method: 'GET', url: '/__test/boom' });
    const body = expectProblem(res, 500, 'internal_error');
    expect(JSON.stringify(body)).not.toMatch(/secret_table|\/srv|\.ts|stack|relation/);
    // …but the log keeps what an engineer needs, under the same request id.
    const line = t.logs.json().find((l) => l.msg === 'request failed');
    expect(line?.requestId).toBe(body.requestId);
    expect(JSON.stringify(line)).toContain('secret_table');
  });

  it('sets x-request-id on successful responses too, never reusing a client id', async () => {
    const res = await t.konpay.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'evil\nforged' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-request-id']).toMatch(/^req_[0-9a-f]{32}$/);
  });
});

describe('error catalogue', () => {
  it('documents every code at /problems/{code}', async () => {
    const catalogue = errorCatalogue(ERROR_MODULES);
    for (const [code, spec] of catalogue) {
      const res = await t.konpay.app.inject({ method: 'GET', url: `/problems/${code}` });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ code, status: spec.status, title: spec.title });
    }
    const unknown = await t.konpay.app.inject({ method: 'GET', url: '/problems/no_such_code' });
    expectProblem(unknown, 404, 'not_found');
  });

  it('refuses a code declared by two modules', () => {
    const a = { module: 'a', codes: { dup: { status: 400, title: 'A' } } };
    const b = { module: 'b', codes: { dup: { status: 409, title: 'B' } } };
    expect(() => errorCatalogue([a, b])).toThrow(/declared by both a and b/);
  });
});
