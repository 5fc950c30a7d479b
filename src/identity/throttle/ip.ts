/**
 * Which addresses count as one client for the per-IP counters. An IPv4 address is one
 * client (behind carrier-grade NAT it is many, hence the generous per-IP budget). IPv6
 * is grouped by /64: one subscriber or LAN normally gets a whole /64, and an attacker
 * who holds one can take a fresh address per request, so counting single IPv6
 * addresses would count nothing.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** The eight 16-bit groups of an IPv6 address, or undefined when it is not one. */
export function ipv6Groups(ip: string): number[] | undefined {
  const addr = ip.split('%')[0]!; // a zone id (fe80::1%eth0) names an interface, not a host
  if (!isIPv6(addr)) return undefined;
  let text = addr.toLowerCase();
  // A dotted IPv4 tail (::ffff:192.0.2.1) becomes its two groups.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = text.slice(0, v4.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : new Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...zeros, ...t].map((g) => parseInt(g, 16));
}

/**
 * The counter identity of a client address: `4:192.0.2.1` for IPv4 (also when written
 * IPv4-mapped, `::ffff:192.0.2.1`), `6:2001:db8:0:1` for the /64 of an IPv6 address,
 * and the text itself, marked, for anything else (a missing address is one client too).
 */
export function ipGroup(ip: string): string {
  if (isIPv4(ip)) return `4:${ip}`;
  const g = ipv6Groups(ip);
  if (!g) return `?:${ip.slice(0, 64)}`;
  const mapped = g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff;
  if (mapped) return `4:${g[6]! >> 8}.${g[6]! & 0xff}.${g[7]! >> 8}.${g[7]! & 0xff}`;
  return `6:${g.slice(0, 4).map((x) => x.toString(16)).join(':')}`;
}
