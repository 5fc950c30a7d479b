/**
 * The chaos run's receivers on the far side of Konpay's outbox: a mail server and a
 * merchant's webhook endpoint. Each records what arrived (by the id that makes a retry
 * recognisable) and can be told to refuse for a while, as a mail relay under load or a
 * merchant's server being deployed does. What they recorded is held against what Konpay
 * committed to send.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { SIGNATURE_HEADER, verifyKonpaySignature } from '../../src/webhooks/signature.js';

/** An SMTP server that records Message-IDs; while refusing it answers 421 to new connections or 451 to the message. */
export class SmtpSink {
  readonly messageIds = new Set<string>();
  received = 0;
  refused = 0;
  #refusingUntil = 0;
  readonly #server: SMTPServer;

  constructor() {
    const busy = (code: number, callback: (err?: Error) => void) => {
      this.refused++;
      callback(Object.assign(new Error('service not available, try again later'), { responseCode: code }));
    };
    this.#server = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
      onConnect: (_session, callback) => (this.#refusing() && this.refused % 2 === 0 ? busy(421, callback) : callback()),
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (this.#refusing()) return busy(451, callback);
          const head = Buffer.concat(chunks).toString('utf8').split('\r\n\r\n')[0] ?? '';
          const id = /^message-id:\s*(<[^>]+>)/im.exec(head)?.[1];
          if (id) this.messageIds.add(id);
          this.received++;
          callback();
        });
      },
    });
  }

  async listen(): Promise<string> {
    // A Konpay server killed mid-mail resets its connection; that is the run's business, not a crash of ours.
    this.#server.on('error', () => {});
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `smtp://127.0.0.1:${(this.#server.server.address() as AddressInfo).port}`;
  }

  /** Refuses every mail for `ms`: temporary SMTP errors, which a sender must retry. */
  refuse(ms: number): void {
    this.#refusingUntil = Math.max(this.#refusingUntil, Date.now() + ms);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  #refusing(): boolean {
    return Date.now() < this.#refusingUntil;
  }
}

/**
 * A merchant's webhook endpoint: checks Konpay's signature and records event ids; while
 * down it answers 503 or drops the connection. A request with a bad signature is
 * counted, not accepted: it would be a violation.
 */
export class WebhookSink {
  readonly eventIds = new Set<string>();
  received = 0;
  badSignatures = 0;
  refused = 0;
  #downUntil = 0;
  #server: Server | undefined;
  secret = '';

  async listen(): Promise<string> {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (Date.now() < this.#downUntil) {
          this.refused++;
          if (this.refused % 2) return void req.socket.destroy();
          return void res.writeHead(503).end('deploying');
        }
        const body = Buffer.concat(chunks).toString('utf8');
        const header = req.headers[SIGNATURE_HEADER];
        if (verifyKonpaySignature(this.secret, typeof header === 'string' ? header : undefined, body, new Date()).kind !== 'valid') {
          this.badSignatures++;
          return void res.writeHead(400).end('bad signature');
        }
        this.received++;
        this.eventIds.add((JSON.parse(body) as { id: string }).id);
        res.writeHead(204).end();
      });
    });
    this.#server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/hooks/konpay`;
  }

  down(ms: number): void {
    this.#downUntil = Math.max(this.#downUntil, Date.now() + ms);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server?.closeAllConnections();
      this.#server?.close(() => resolve());
    });
  }
}
