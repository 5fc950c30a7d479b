/**
 * The API reference is part of the product: every operation has a summary and tags,
 * and every JSON request body and success response shows an example.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';

type Schema = { $ref?: string; examples?: unknown[]; example?: unknown };
type Media = { schema: Schema; example?: unknown; examples?: Record<string, unknown> };
type Op = {
  summary?: string; tags?: string[];
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { content?: Record<string, Media> }>;
};

let t: TestKonpay;
let doc: { paths: Record<string, Record<string, Op>>; components?: { schemas?: Record<string, Schema> } };
beforeAll(async () => {
  t = await startTestKonpay();
  doc = (await t.konpay.app.inject({ method: 'GET', url: '/openapi.json' })).json();
});
afterAll(() => t.stop());

function schemaHasExample(schema: Schema | undefined): boolean {
  if (!schema) return false;
  if (schema.$ref) return schemaHasExample(doc.components?.schemas?.[schema.$ref.split('/').pop()!]);
  return (Array.isArray(schema.examples) && schema.examples.length > 0) || schema.example !== undefined;
}

/** An example on the media object (where @fastify/swagger moves a single one) or on its schema. */
function hasExample(media: Media): boolean {
  return media.example !== undefined || (!!media.examples && Object.keys(media.examples).length > 0) || schemaHasExample(media.schema);
}

describe('OpenAPI document', () => {
  it('describes every operation, with examples for JSON bodies and answers', () => {
    const missing: string[] = [];
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([m, op]) => ({ name: `${m.toUpperCase()} ${path}`, op })));
    expect(ops.length).toBeGreaterThan(10);
    for (const { name, op } of ops) {
      if (!op.summary) missing.push(`${name}: summary`);
      if (!op.tags?.length) missing.push(`${name}: tags`);
      const body = op.requestBody?.content['application/json'];
      if (body && !hasExample(body)) missing.push(`${name}: request example`);
      for (const [status, r] of Object.entries(op.responses)) {
        const media = r.content?.['application/json'];
        if (status.startsWith('2') && media && (media.schema as { type?: string }).type !== 'null' && !hasExample(media)) missing.push(`${name}: ${status} example`);
      }
    }
    expect(missing).toEqual([]);
  });
});
