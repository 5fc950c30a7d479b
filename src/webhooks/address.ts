/**
 * Where production sends webhooks: public unicast addresses only. A merchant chooses the
 * URL, so without this an endpoint could point our signed POSTs at our own network (the
 * cloud's metadata service at 169.254.169.254, a database's HTTP port on 10.x, localhost).
 *
 * The check is made when connecting, on the addresses the name resolves to then, not
 * only when the URL is registered: a name can resolve to a public address at
 * registration and to 127.0.0.1 a minute later (DNS rebinding). Redirects are not
 * followed at all (transport.ts).
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import ipaddr from 'ipaddr.js';

/** A public unicast address: not loopback, private, link-local, CGNAT, multicast, reserved, nor IPv4 tunnelled in IPv6. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  // `process` turns ::ffff:10.0.0.1 into 10.0.0.1, so a mapped address is judged as itself.
  return ipaddr.process(address).range() === 'unicast';
}

/** A URL host that is a non-public address literal, or a name reserved for this machine. */
export function isPrivateHost(hostname: string): boolean {
  const bare = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (ipaddr.isValid(bare)) return !isPublicAddress(bare);
  return bare === 'localhost' || bare.endsWith('.localhost');
}

export class NotPublicError extends Error {
  override name = 'NotPublicError';
  readonly code = 'ENOTPUBLIC';
  constructor(hostname: string) {
    super(`${hostname} has no public address`);
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `net.connect` `lookup` keeping only public addresses: a name with public and private
 * addresses is reached on a public one; a name with none is refused. `resolve` is the
 * system's resolver but in tests (no DNS here that could answer for another name).
 */
export function publicOnlyLookup(resolve: typeof dnsLookup = dnsLookup) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const usable = addresses.filter((a) => isPublicAddress(a.address));
      if (usable.length === 0) return callback(new NotPublicError(hostname), []);
      if (options.all) return callback(null, usable);
      return callback(null, usable[0]!.address, usable[0]!.family);
    });
  };
}
