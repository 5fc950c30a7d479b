/**
 * docs/merchant-webhooks.md is what merchants build their receivers from: its worked
 * example is recomputed here from the doc's own values (with node:crypto and with our
 * signer and verifier), its Node.js snippet is run, and its retry table is checked
 * against the policy, so none of them can drift.
 */
import { createHmac } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_RETRY } from './delivery.js';
import { signKonpayWebhook, verifyKonpaySignature } from './signature.js';

let DOC: string;
beforeAll(async () => {
  DOC = await readFile(join(import.meta.dirname, '..', '..', 'docs', 'merchant-webhooks.md'), 'utf8');
});

function block(name: string): string {
  const m = new RegExp(`<!-- example:${name} -->\\n\`\`\`[a-z]*\\n([\\s\\S]*?)\\n\`\`\``).exec(DOC);
  if (!m) throw new Error(`docs/merchant-webhooks.md has no example:${name} block`);
  return m[1]!;
}

function fields(text: string): Record<string, string> {
  return Object.fromEntries(text.split('\n').map((l) => {
    const i = l.indexOf(':');
    return [l.slice(0, i).trim(), l.slice(i + 1).replace(/^ +/, '')];
  }));
}

describe('docs/merchant-webhooks.md', () => {
  it('has the signature node:crypto and our signer make from the example values', () => {
    const { secret, t, body } = fields(block('inputs'));
    const header = fields(block('header'))['Konpay-Signature']!;
    const hex = createHmac('sha256', secret!).update(`${t}.${body}`).digest('hex');
    expect(header).toBe(`t=${t},v1=${hex}`);
    expect(signKonpayWebhook(secret!, body!, new Date(Number(t) * 1000))).toBe(header);
    expect(verifyKonpaySignature(secret!, header, body!, new Date(Number(t) * 1000))).toEqual({ kind: 'valid', t: Number(t) });
    expect(DOC).toContain(`# ${hex.slice(0, 8)}…${hex.slice(-4)}`);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    // The pretty-printed sample body is the same event as the example's.
    const sample = /```json\n([\s\S]*?)\n```/.exec(DOC)![1]!;
    expect(JSON.parse(sample)).toEqual(JSON.parse(body!));
  });

  it('has a Node.js verifier that accepts the example and refuses tampering and stale timestamps', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'konpay-doc-'));
    try {
      const file = join(dir, 'verify.mjs');
      await writeFile(file, block('verify-js'));
      const { verifyKonpaySignature: verify } = (await import(pathToFileURL(file).href)) as {
        verifyKonpaySignature: (secret: string, header: string | undefined, body: string, now?: number, tolerance?: number) => boolean;
      };
      const { secret, t, body } = fields(block('inputs'));
      const header = fields(block('header'))['Konpay-Signature']!;
      const now = Number(t);
      expect(verify(secret!, header, body!, now + 10)).toBe(true);
      expect(verify(secret!, header, body!.replace('1280', '128'), now)).toBe(false);
      expect(verify(secret!, header, body!, now + 301)).toBe(false);
      expect(verify(`${secret}x`, header, body!, now)).toBe(false);
      expect(verify(secret!, undefined, body!, now)).toBe(false);
      expect(verify(secret!, `t=${now}`, body!, now)).toBe(false);
      // Agrees with ours on a fresh signature.
      const fresh = signKonpayWebhook(secret!, body!, new Date());
      expect(verify(secret!, fresh, body!)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('states the retry policy the code has', () => {
    expect(WEBHOOK_RETRY).toEqual({ maxAttempts: 26, baseDelayMs: 60_000, maxDelayMs: 4 * 3_600_000 });
    expect(DOC).toContain(`After the ${WEBHOOK_RETRY.maxAttempts}th failed attempt`);
    expect(DOC).toContain('1 minute × 2^(*n*−1), at most 4 hours');
    expect(DOC).toMatch(/Deduplicate by event id/);
    expect(DOC).toMatch(/Reject stale timestamps/);
  });
});
