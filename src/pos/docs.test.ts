/**
 * docs/pos-api.md's worked example is what integrators test their code against: it is
 * recomputed here from the doc's own values, with our signer (Web Crypto) and with
 * node:crypto directly, so a wrong value in the doc fails the build.
 */
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMPTY_BODY_SHA256, signRequest } from './signing.js';

const DOC = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'pos-api.md'), 'utf8');

/** The fenced block right after `<!-- example:NAME -->`. */
function block(name: string): string {
  const m = new RegExp(`<!-- example:${name} -->\\n\`\`\`[a-z]*\\n([\\s\\S]*?)\\n\`\`\``).exec(DOC);
  if (!m) throw new Error(`docs/pos-api.md has no example:${name} block`);
  return m[1]!;
}

/** `name: value` lines; the value is everything after the first colon and its spaces. */
function fields(text: string): Record<string, string> {
  return Object.fromEntries(text.split('\n').map((l) => {
    const i = l.indexOf(':');
    return [l.slice(0, i).trim(), l.slice(i + 1).replace(/^ +/, '')];
  }));
}

describe('docs/pos-api.md worked example', () => {
  const input = fields(block('inputs'));
  const headers = fields(block('headers'));
  const documentedString = block('string-to-sign');

  it('has the string to sign and the signature our signer makes from its values', async () => {
    const signed = await signRequest({
      keyId: input['key id']!, secret: input.secret!, method: input.method!, path: input.path!,
      timestamp: Number(input.timestamp), nonce: input.nonce!, body: input.body!,
    });
    expect(signed.stringToSign).toBe(documentedString);
    expect(signed.headers).toEqual({
      'Konpay-Key-Id': headers['Konpay-Key-Id'], 'Konpay-Timestamp': headers['Konpay-Timestamp'],
      'Konpay-Nonce': headers['Konpay-Nonce'], 'Konpay-Signature': headers['Konpay-Signature'],
    });
  });

  it('is right by node:crypto too, including the body hash quoted in the text', () => {
    const bodyHash = createHash('sha256').update(input.body!, 'utf8').digest('hex');
    expect(DOC).toContain(`The body's SHA-256 is \`${bodyHash}\``);
    expect(documentedString).toBe([input.method, input.path, input.timestamp, input.nonce, bodyHash].join('\n'));
    const hex = createHmac('sha256', input.secret!).update(documentedString).digest('hex');
    expect(headers['Konpay-Signature']).toBe(`v1=${hex}`);
    expect(DOC).toContain(`# ${hex.slice(0, 8)}…${hex.slice(-4)}`); // the shell snippet's comment
  });

  it('quotes the right hash of an empty body', () => {
    expect(createHash('sha256').update('').digest('hex')).toBe(EMPTY_BODY_SHA256);
    expect(DOC).toContain(EMPTY_BODY_SHA256);
  });
});
