/** Ports for tests that need a server, or the certain absence of one. */
import { createServer } from 'node:net';

/** A port nobody listens on right now: bound, noted and released. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
