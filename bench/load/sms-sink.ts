/**
 * The bench's SMS gateway: Konpay in production sends SMS through its HTTP gateway
 * adapter (src/notify/adapters/sms-http.ts, `POST {from, to, text}` with a bearer token);
 * SMS_GATEWAY_URL points here. The card issuer's 3-D Secure codes are read from the
 * texts, per phone, as a card holder reads them on the phone.
 */
import { createServer, type Server } from 'node:http';

interface Inbox {
  codes: string[];
  waiters: ((code: string) => void)[];
}

export class SmsSink {
  readonly #inboxes = new Map<string, Inbox>();
  #server: Server | undefined;
  received = 0;
  refused = 0;

  constructor(private readonly token: string) {}

  listen(port: number): Promise<void> {
    this.#server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (req.method !== 'POST' || req.headers.authorization !== `Bearer ${this.token}`) {
          this.refused++;
          res.writeHead(401).end();
          return;
        }
        try {
          const m = JSON.parse(body) as { to?: string; text?: string };
          const code = /\bis (\d{6})\b/.exec(m.text ?? '')?.[1] ?? /\b(\d{6})\b/.exec(m.text ?? '')?.[1];
          this.received++;
          if (m.to && code) this.#deliver(m.to, code);
          res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        } catch {
          res.writeHead(400).end();
        }
      });
    });
    this.#server.keepAliveTimeout = 60_000;
    return new Promise((resolve) => this.#server!.listen(port, '127.0.0.1', resolve));
  }

  #inbox(phone: string): Inbox {
    let box = this.#inboxes.get(phone);
    if (!box) this.#inboxes.set(phone, (box = { codes: [], waiters: [] }));
    return box;
  }

  #deliver(phone: string, code: string): void {
    const box = this.#inbox(phone);
    const waiter = box.waiters.shift();
    if (waiter) waiter(code);
    else box.codes.push(code);
  }

  /** Forgets what this phone received so far (before a flow that expects a new code). */
  clear(phone: string): void {
    this.#inbox(phone).codes.length = 0;
  }

  /** The next code to reach this phone. */
  next(phone: string, timeoutMs: number): Promise<string> {
    const box = this.#inbox(phone);
    const ready = box.codes.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const waiter = (code: string) => {
        clearTimeout(timer);
        resolve(code);
      };
      const timer = setTimeout(() => {
        box.waiters = box.waiters.filter((w) => w !== waiter);
        reject(Object.assign(new Error(`no SMS for ${phone} within ${timeoutMs} ms`), { code: 'sms_timeout' }));
      }, timeoutMs);
      box.waiters.push(waiter);
    });
  }

  close(): Promise<void> {
    const server = this.#server;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections(); // Konpay's gateway client keeps its connections alive
    });
  }
}
