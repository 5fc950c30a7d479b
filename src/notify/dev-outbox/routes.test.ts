import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKonpay, type TestKonpay } from '../../../test/harness/konpay.js';
import { newSecret } from '../../secrets.js';
import { newUuid, toPublicId } from '../../shared/ids.js';
import type { Channel } from '../port.js';
import { insertDevMessage } from './repo.js';

interface DevJson {
  messages: { id: string; channel: Channel; to: string; subject: string | null; body: string; meta: Record<string, unknown>; createdAt: string }[];
}

let t: TestKonpay;
beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false });
});
afterAll(() => t.stop());

const T0 = Date.parse('2026-04-01T00:00:00Z');

/** Seeds one message `minutes` after T0; returns its public id. */
async function seed(recipient: string, minutes: number, channel: Channel = 'email', body = `body ${minutes}`, subject: string | null = 'subject'): Promise<string> {
  const id = newUuid();
  await insertDevMessage(t.konpay.pool, {
    id, channel, recipient, subject, body, meta: { via: 'test' }, createdAt: new Date(T0 + minutes * 60_000),
  });
  return toPublicId('msg', id);
}

async function getJson(url: string, headers: Record<string, string> = {}): Promise<DevJson['messages']> {
  const res = await t.konpay.app.inject({ method: 'GET', url, headers });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  return (res.json() as DevJson).messages;
}

describe('GET /dev/outbox (JSON)', () => {
  it('lists messages newest first, whatever order they were written in', async () => {
    const to = 'order@example.jp';
    const b = await seed(to, 20);
    const a = await seed(to, 10);
    const c = await seed(to, 30, 'sms', 'Konpay code 111111', null);

    const messages = await getJson(`/dev/outbox?to=${to}`);
    expect(messages.map((m) => m.id)).toEqual([c, b, a]);
    expect(messages[0]).toEqual({
      id: c, channel: 'sms', to, subject: null, body: 'Konpay code 111111', meta: { via: 'test' },
      createdAt: new Date(T0 + 30 * 60_000).toISOString(),
    });
    // Unfiltered, the newest overall comes first too.
    const all = await getJson('/dev/outbox');
    const times = all.map((m) => Date.parse(m.createdAt));
    expect(times).toEqual([...times].sort((x, y) => y - x));
  });

  it('filters by recipient, ignoring case, matching whole addresses only', async () => {
    const id = await seed('Hanako.Yamada@Example.JP', 1);
    await seed('hanako.yamada@example.jp.evil', 2);
    await seed('someone-else@example.jp', 3);

    for (const q of ['hanako.yamada@example.jp', 'HANAKO.YAMADA@EXAMPLE.JP', 'Hanako.Yamada@Example.JP']) {
      const messages = await getJson(`/dev/outbox?to=${encodeURIComponent(q)}`);
      expect(messages.map((m) => m.id)).toEqual([id]);
      expect(messages[0]!.to).toBe('Hanako.Yamada@Example.JP');
    }
    expect(await getJson('/dev/outbox?to=hanako.yamada%40example')).toEqual([]);
    expect(await getJson('/dev/outbox?to=nobody%40example.jp')).toEqual([]);
  });

  it('filters by channel, alone and with a recipient', async () => {
    const to = '+819033334444';
    const sms = await seed(to, 5, 'sms');
    const mail = await seed(to, 6, 'email');
    const pushed = await seed(to, 7, 'push');

    expect((await getJson(`/dev/outbox?to=${encodeURIComponent(to)}&channel=sms`)).map((m) => m.id)).toEqual([sms]);
    expect((await getJson(`/dev/outbox?to=${encodeURIComponent(to)}&channel=email`)).map((m) => m.id)).toEqual([mail]);
    expect((await getJson(`/dev/outbox?to=${encodeURIComponent(to)}&channel=push`)).map((m) => m.id)).toEqual([pushed]);
    const allPush = await getJson('/dev/outbox?channel=push&limit=500');
    expect(allPush.length).toBeGreaterThan(0);
    expect(allPush.every((m) => m.channel === 'push')).toBe(true);
  });

  it('bounds the list with limit (default 50, at most 500)', async () => {
    const to = 'many@example.jp';
    const ids: string[] = [];
    for (let i = 0; i < 55; i++) ids.push(await seed(to, 100 + i));
    const newestFirst = [...ids].reverse();

    expect((await getJson(`/dev/outbox?to=${to}&limit=3`)).map((m) => m.id)).toEqual(newestFirst.slice(0, 3));
    expect((await getJson(`/dev/outbox?to=${to}`)).map((m) => m.id)).toEqual(newestFirst.slice(0, 50));
    expect((await getJson(`/dev/outbox?to=${to}&limit=500`)).map((m) => m.id)).toEqual(newestFirst);

    for (const limit of ['0', '501', '-1', '2.5']) {
      const res = await t.konpay.app.inject({ method: 'GET', url: `/dev/outbox?limit=${limit}` });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(res.json()).toMatchObject({ code: 'validation_failed' });
    }
  });
});

describe('GET /dev/outbox (page)', () => {
  it('escapes message content and sends a content security policy', async () => {
    const to = 'xss@example.jp';
    await seed(to, 1, 'email', 'Hello <script>alert(1)</script> & bye', '"><img src=x onerror=alert(2)>');
    const res = await t.konpay.app.inject({
      method: 'GET', url: `/dev/outbox?to=${to}`, headers: { accept: 'text/html,application/xhtml+xml;q=0.9' },
    });

    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(res.body).toMatch(/^<!doctype html>/);
    expect(res.body).toContain('Hello &lt;script&gt;alert(1)&lt;/script&gt; &amp; bye');
    expect(res.body).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(res.body).not.toContain('<script');
    expect(res.body).not.toContain('<img');
    expect(res.body).toContain(to);
  });

  it('escapes the recipient filter it echoes', async () => {
    const res = await t.konpay.app.inject({
      method: 'GET', url: `/dev/outbox?to=${encodeURIComponent('<script>alert(3)</script>')}`, headers: { accept: 'text/html' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Dev outbox for &lt;script&gt;alert(3)&lt;/script&gt;');
    expect(res.body).not.toContain('<script');
    expect(res.body).toContain('No messages yet.');
  });

  it('lets ?format override the Accept header', async () => {
    const to = 'format@example.jp';
    const id = await seed(to, 1, 'email', 'format body');

    const page = await t.konpay.app.inject({ method: 'GET', url: `/dev/outbox?to=${to}&format=html` });
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('format body');

    const json = await getJson(`/dev/outbox?to=${to}&format=json`, { accept: 'text/html' });
    expect(json.map((m) => m.id)).toEqual([id]);
  });
});

describe('GET /dev/outbox in production', () => {
  let prod: TestKonpay;
  beforeAll(async () => {
    prod = await startTestKonpay({
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://konpay.example',
      KONPAY_PASSWORD_PEPPER: newSecret(),
      KONPAY_SIGNING_KEY: newSecret(),
      KONPAY_ENCRYPTION_KEY: newSecret(),
      // Production refuses the harness's fast hashing settings.
      ARGON2_MEMORY_KIB: '19456',
      ARGON2_ITERATIONS: '2',
    }, { worker: false });
  });
  afterAll(() => prod?.stop());

  it('does not exist: 404 problem+json, for JSON and for browsers', async () => {
    expect(prod.config.production).toBe(true);
    for (const accept of ['application/json', 'text/html']) {
      const res = await prod.konpay.app.inject({ method: 'GET', url: '/dev/outbox?to=a%40example.jp', headers: { accept } });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(res.json()).toMatchObject({
        status: 404, code: 'not_found', type: 'https://konpay.example/problems/not_found',
        detail: 'GET /dev/outbox is not a Konpay endpoint.',
      });
    }
  });

  it('is absent from the OpenAPI document (and present outside production)', async () => {
    const paths = (inst: TestKonpay) => inst.konpay.app.inject({ method: 'GET', url: '/openapi.json' })
      .then((r) => Object.keys((r.json() as { paths: Record<string, unknown> }).paths));
    expect(await paths(prod)).not.toContain('/dev/outbox');
    expect(await paths(t)).toContain('/dev/outbox');
  });
});
