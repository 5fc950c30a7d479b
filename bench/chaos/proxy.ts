/**
 * A TCP proxy between Konpay and a server it depends on (PostgreSQL, the card network),
 * with the faults a network has: `cut` resets every open connection at once (a switch
 * failing, a load balancer dropping flows), `stall` stops passing bytes either way for a
 * while without closing anything (a partition, a stuck peer), and new connections made
 * during a stall wait with the rest.
 */
import net from 'node:net';

export class FaultProxy {
  readonly #server: net.Server;
  readonly #pairs = new Set<{ a: net.Socket; b: net.Socket }>();
  /** Bytes that arrived during a stall, in order, with where they go. */
  #held: [net.Socket, Buffer][] = [];
  #stalledUntil = 0;
  #port = 0;
  readonly stats = { connections: 0, cuts: 0, stalls: 0 };

  private constructor(private readonly target: { host: string; port: number }) {
    this.#server = net.createServer((client) => this.#accept(client));
  }

  static async start(target: { host: string; port: number }): Promise<FaultProxy> {
    const p = new FaultProxy(target);
    await new Promise<void>((resolve) => p.#server.listen(0, '127.0.0.1', resolve));
    p.#port = (p.#server.address() as net.AddressInfo).port;
    return p;
  }

  get port(): number {
    return this.#port;
  }

  /** Resets every open connection (both sides see ECONNRESET). */
  cut(): number {
    this.stats.cuts++;
    const n = this.#pairs.size;
    for (const { a, b } of this.#pairs) {
      a.resetAndDestroy();
      b.resetAndDestroy();
    }
    this.#pairs.clear();
    this.#held = [];
    return n;
  }

  /** Passes no bytes for `ms` (queued, not lost: TCP keeps them), then carries on. */
  stall(ms: number): void {
    this.stats.stalls++;
    this.#stalledUntil = Math.max(this.#stalledUntil, Date.now() + ms);
    setTimeout(() => this.#resume(), ms + 5).unref();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #stalled(): boolean {
    return Date.now() < this.#stalledUntil;
  }

  #resume(): void {
    if (this.#stalled()) return;
    const held = this.#held;
    this.#held = [];
    for (const [to, chunk] of held) if (!to.destroyed) to.write(chunk);
  }

  #accept(client: net.Socket): void {
    this.stats.connections++;
    const upstream = net.connect(this.target.port, this.target.host);
    const pair = { a: client, b: upstream };
    this.#pairs.add(pair);
    const end = () => {
      this.#pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    // By hand rather than pipe(): a stall must hold bytes back without pipe's own
    // back-pressure logic resuming the stream behind its back.
    const forward = (from: net.Socket, to: net.Socket) => from.on('data', (chunk: Buffer) => {
      if (this.#stalled() || this.#held.length > 0) this.#held.push([to, chunk]);
      else to.write(chunk);
    });
    forward(client, upstream);
    forward(upstream, client);
  }
}
