/**
 * Counter keys. Identifiers and addresses are stored only as keyed hashes (HMAC under a
 * key derived from the server's signing key): the counters table or Redis would otherwise
 * be a list of who tried to sign in from where, and of every leaked e-mail an attacker
 * replayed. 128 bits of the MAC keep keys short with no practical collision.
 */
import { hmac } from '../../shared/crypto.js';
import { ipGroup } from './ip.js';

export class CounterKeys {
  readonly #key: Buffer;
  constructor(signingKey: Buffer) {
    this.#key = hmac(signingKey, 'konpay-throttle-keys');
  }

  #h(kind: string, ...parts: string[]): string {
    return `${kind}:${hmac(this.#key, kind, ...parts).subarray(0, 16).toString('base64url')}`;
  }

  /** Login failures from one IPv4 address or IPv6 /64. */
  loginIp(ip: string): string {
    return this.#h('li', ipGroup(ip));
  }
  /** Login attempts on one account (or unknown identifier), from unknown devices. */
  loginAccount(account: string): string {
    return this.#h('la', account);
  }
  /** Login attempts on one account from one address, from unknown devices. */
  loginAccountIp(account: string, ip: string): string {
    return this.#h('lx', account, ipGroup(ip));
  }
  /**
   * The same, for devices that hold a valid device credential of this account: kept
   * apart so that a stranger's failures, even from the same carrier NAT address, never
   * count against the owner's own phone.
   */
  loginKnownDevice(account: string, ip: string): string {
    return this.#h('lk', account, ipGroup(ip));
  }
  /** Every SMS Konpay sends: one budget for the whole service. */
  smsService(): string {
    return this.#h('ss', 'service');
  }
  /** Codes sent to one e-mail address or phone number. */
  sendDestination(destination: string): string {
    return this.#h('sd', destination);
  }
  /** Codes sent at the request of one IPv4 address or IPv6 /64. */
  sendIp(ip: string): string {
    return this.#h('si', ipGroup(ip));
  }
  /** External ID sign-ins started from one IPv4 address or IPv6 /64. */
  oidcStartIp(ip: string): string {
    return this.#h('xo', ipGroup(ip));
  }
  /** Proof-of-work challenges handed to one IPv4 address or IPv6 /64. */
  challengeIp(ip: string): string {
    return this.#h('pc', ipGroup(ip));
  }
  /** A proof-of-work challenge, once its solution has been used. */
  usedChallenge(nonce: string): string {
    return this.#h('pw', nonce);
  }
  /** One shard of the service-wide failure count in one minute. */
  globalFailures(minute: number, shard: number): string {
    return this.#h('lg', String(minute), String(shard));
  }
  /** Which shard of the global count a client's failures go to: spreads one hot row over several. */
  globalShard(ip: string, shards: number): number {
    const h = hmac(this.#key, 'shard', ipGroup(ip));
    return h.readUInt32BE(0) % shards;
  }
}
