/**
 * A merchant's webhook receiver for tests: a real node:http server on a free port that
 * records every request (headers and raw body) and answers as the test scripts it.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export interface ReceivedRequest { method: string; url: string; headers: IncomingHttpHeaders; body: string }

/** What to do with a request: answer a status, or never answer ('hang'). */
export type Reply = number | 'hang';

export interface WebhookReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Replies for the next requests, in order; afterwards `fallback`. */
  script(...replies: Reply[]): void;
  fallback: Reply;
  close(): Promise<void>;
}

export async function startWebhookReceiver(path = '/hooks/konpay'): Promise<WebhookReceiver> {
  const queue: Reply[] = [];
  const receiver: WebhookReceiver = {
    url: '', requests: [], fallback: 204,
    script: (...replies) => void queue.push(...replies),
    close: () => new Promise<void>((resolve) => {
      // Hanging requests would keep close() waiting for ever.
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      receiver.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const reply = queue.shift() ?? receiver.fallback;
      if (reply === 'hang') return;
      res.writeHead(reply, { 'content-type': 'text/plain' }).end(reply < 300 ? '' : 'receiver says no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as { port: number }).port}${path}`;
  return receiver;
}
