import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { freePort } from '../../../test/harness/net.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../outbox/outbox.js';
import { smtpSender } from './smtp.js';

interface Received {
  mailFrom: string | undefined;
  rcptTo: string[];
  raw: string;
}

const FROM = 'Konpay <no-reply@konpay.test>';

/** What the fake server answers to RCPT TO: accept, or an SMTP error with this code. */
let rcptReply: number | undefined;
const received: Received[] = [];

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onRcptTo(_address, _session, callback) {
    if (rcptReply === undefined) return callback();
    const err = Object.assign(new Error(rcptReply >= 500 ? 'mailbox unavailable' : 'try again later'), { responseCode: rcptReply });
    callback(err);
  },
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const from = session.envelope.mailFrom;
      received.push({
        mailFrom: from ? from.address : undefined,
        rcptTo: session.envelope.rcptTo.map((a) => a.address),
        raw: Buffer.concat(chunks).toString('utf8'),
      });
      callback();
    });
  },
});

let url: string;
let sender: ReturnType<typeof smtpSender>;

beforeAll(async () => {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  sender = smtpSender(url, FROM);
});

afterAll(async () => {
  sender?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  rcptReply = undefined;
  received.length = 0;
});

// --- A minimal MIME reader: headers (with RFC 2047 encoded words), transfer encodings, multipart. ---

interface Part {
  headers: Map<string, string>;
  body: string;
}

function decodeQ(s: string, underscoreIsSpace: boolean): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c === '_' && underscoreIsSpace) {
      bytes.push(0x20);
    } else {
      bytes.push(...Buffer.from(c, 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

/** Decodes =?utf-8?B?…?= and =?utf-8?Q?…?= words; whitespace between adjacent words is dropped (RFC 2047 §6.2). */
function decodeWords(value: string): string {
  const word = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g;
  let out = '';
  let pending: Buffer[] = [];
  let last = 0;
  for (const m of value.matchAll(word)) {
    const between = value.slice(last, m.index);
    if (pending.length && between.trim() !== '') {
      out += Buffer.concat(pending).toString('utf8');
      pending = [];
    }
    if (!pending.length) out += between;
    expect(m[1]!.toLowerCase()).toBe('utf-8');
    pending.push(m[2]!.toUpperCase() === 'B' ? Buffer.from(m[3]!, 'base64') : decodeQ(m[3]!, true));
    last = m.index + m[0].length;
  }
  out += Buffer.concat(pending).toString('utf8') + value.slice(last);
  return out;
}

function parsePart(raw: string): Part {
  const split = raw.indexOf('\r\n\r\n');
  expect(split).toBeGreaterThan(0);
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).trim().toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  return { headers, body: raw.slice(split + 4) };
}

function decodeBody(p: Part): string {
  const cte = (p.headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const bytes = cte === 'base64' ? Buffer.from(p.body.replace(/\s+/g, ''), 'base64')
    : cte === 'quoted-printable' ? decodeQ(p.body.replace(/=\r\n/g, ''), false)
    : Buffer.from(p.body, 'utf8');
  return bytes.toString('utf8').replace(/\r\n/g, '\n');
}

function subParts(p: Part): Part[] {
  const boundary = /boundary="?([^";]+)"?/.exec(p.headers.get('content-type') ?? '')?.[1];
  expect(boundary).toBeDefined();
  const sections = p.body.split(`--${boundary}`);
  // sections[0] is the preamble, the last starts with "--" (the close delimiter).
  return sections.slice(1, -1).map((s) => parsePart(s.replace(/^\r\n/, '').replace(/\r\n$/, '')));
}

const textPlain = (p: Part) => (p.headers.get('content-type') ?? 'text/plain').startsWith('text/plain');

describe('smtpSender', () => {
  it('delivers To, From, Subject and the text body to the SMTP server', async () => {
    await sender.send({
      channel: 'email', to: 'hanako@example.jp', subject: 'Your Konpay code',
      text: 'Your sign-in code is 123456.\nIt expires in 10 minutes.',
    });

    expect(received).toHaveLength(1);
    const mail = received[0]!;
    expect(mail.mailFrom).toBe('no-reply@konpay.test');
    expect(mail.rcptTo).toEqual(['hanako@example.jp']);
    const msg = parsePart(mail.raw);
    expect(msg.headers.get('to')).toBe('hanako@example.jp');
    expect(msg.headers.get('from')).toBe(FROM);
    expect(msg.headers.get('subject')).toBe('Your Konpay code');
    expect(textPlain(msg)).toBe(true);
    expect(decodeBody(msg).trimEnd()).toBe('Your sign-in code is 123456.\nIt expires in 10 minutes.');
  });

  it('gives every send of one outbox message the same Message-ID, and other messages other ids', async () => {
    const text = { channel: 'email' as const, to: 'hanako@example.jp', subject: 'Payment', text: 'Paid ¥500.' };
    await sender.send(text, { id: '0b6f7c52-2d1e-4c8a-9a55-3f1f6a0d2e11' });
    await sender.send(text, { id: '0b6f7c52-2d1e-4c8a-9a55-3f1f6a0d2e11' });
    await sender.send(text, { id: '5d0e6b1a-7f44-4b0e-8d3b-2a9c1e7f6b20' });
    const ids = received.map((r) => parsePart(r.raw).headers.get('message-id'));
    expect(ids).toEqual([
      '<0b6f7c52-2d1e-4c8a-9a55-3f1f6a0d2e11@konpay.test>',
      '<0b6f7c52-2d1e-4c8a-9a55-3f1f6a0d2e11@konpay.test>',
      '<5d0e6b1a-7f44-4b0e-8d3b-2a9c1e7f6b20@konpay.test>',
    ]);
  });

  it('carries a Japanese subject and body intact', async () => {
    const subject = 'Konpay: チャージが完了しました（¥3,000）';
    const text = '山田様\nコンビニでのチャージ ¥3,000 を受け付けました。\n残高: ¥12,345';
    await sender.send({ channel: 'email', to: 'yamada@example.jp', subject, text });

    expect(received).toHaveLength(1);
    const msg = parsePart(received[0]!.raw);
    // Non-ASCII must travel encoded: the raw header is 7-bit.
    expect(received[0]!.raw.split('\r\n\r\n')[0]).toMatch(/^[\x00-\x7f]*$/);
    expect(msg.headers.get('subject')).toBe(subject);
    expect(decodeBody(msg).trimEnd()).toBe(text);
  });

  it('sends text and HTML as multipart/alternative when the message has HTML', async () => {
    await sender.send({ channel: 'email', to: 'a@example.jp', subject: 'Receipt', text: 'Paid ¥500.', html: '<p>Paid <b>¥500</b>.</p>' });

    expect(received).toHaveLength(1);
    const msg = parsePart(received[0]!.raw);
    expect(msg.headers.get('content-type')).toMatch(/^multipart\/alternative;/);
    const parts = subParts(msg);
    expect(parts.map((p) => p.headers.get('content-type')?.split(';')[0])).toEqual(['text/plain', 'text/html']);
    expect(decodeBody(parts[0]!).trimEnd()).toBe('Paid ¥500.');
    expect(decodeBody(parts[1]!).trimEnd()).toBe('<p>Paid <b>¥500</b>.</p>');
  });

  async function sendFailure(s: ReturnType<typeof smtpSender>): Promise<DeliveryError> {
    const err: unknown = await s.send({ channel: 'email', to: 'nobody@example.jp', subject: 's', text: 't' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DeliveryError);
    return err as DeliveryError;
  }

  it('fails permanently when the server refuses the recipient with a 5xx', async () => {
    rcptReply = 550;
    const err = await sendFailure(sender);
    expect(err.permanent).toBe(true);
    expect(err.message).toMatch(/^smtp: .*550/);
    expect(received).toHaveLength(0);
  });

  it('fails temporarily when the server answers a 4xx', async () => {
    rcptReply = 451;
    const err = await sendFailure(sender);
    expect(err.permanent).toBe(false);
    expect(err.message).toMatch(/451/);
    expect(received).toHaveLength(0);
  });

  it('fails temporarily when no server is listening', async () => {
    const port = await freePort();

    const dead = smtpSender(`smtp://127.0.0.1:${port}`, FROM);
    try {
      const err = await sendFailure(dead);
      expect(err.permanent).toBe(false);
      expect(err.message).toMatch(/ECONNREFUSED/);
    } finally {
      dead.close();
    }
  });

  it('fails permanently, without sending, for an address that cannot be put in an envelope', async () => {
    const err: unknown = await sender.send({ channel: 'email', to: '', subject: 's', text: 't' }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).permanent).toBe(true);
    expect(received).toHaveLength(0);
  });
});
