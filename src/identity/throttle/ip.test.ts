import { describe, expect, it } from 'vitest';
import { ipGroup, ipv6Groups } from './ip.js';

describe('client address grouping', () => {
  it('puts every address of one IPv6 /64 in one group, however it is written', () => {
    const group = ipGroup('2001:db8:1234:5678::1');
    for (const ip of [
      '2001:db8:1234:5678:ffff:ffff:ffff:ffff',
      '2001:0db8:1234:5678:0000:0000:0000:0002',
      '2001:DB8:1234:5678:a:b:c:d',
      '2001:db8:1234:5678::abcd%eth0',
    ]) expect(ipGroup(ip), ip).toBe(group);
    expect(group).toBe('6:2001:db8:1234:5678');
  });

  it('keeps neighbouring /64s apart', () => {
    expect(ipGroup('2001:db8:1234:5679::1')).not.toBe(ipGroup('2001:db8:1234:5678::1'));
    expect(ipGroup('2001:db8::1')).toBe('6:2001:db8:0:0');
    expect(ipGroup('::1')).toBe('6:0:0:0:0');
  });

  it('counts IPv4 by address, also when it arrives IPv4-mapped', () => {
    expect(ipGroup('192.0.2.1')).toBe('4:192.0.2.1');
    expect(ipGroup('192.0.2.2')).not.toBe(ipGroup('192.0.2.1'));
    expect(ipGroup('::ffff:192.0.2.1')).toBe('4:192.0.2.1');
    expect(ipGroup('::ffff:c000:201')).toBe('4:192.0.2.1');
  });

  it('expands compressed forms and dotted tails into eight groups', () => {
    expect(ipv6Groups('fe80::')).toEqual([0xfe80, 0, 0, 0, 0, 0, 0, 0]);
    expect(ipv6Groups('::')).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(ipv6Groups('64:ff9b::192.0.2.33')).toEqual([0x64, 0xff9b, 0, 0, 0, 0, 0xc000, 0x221]);
    expect(ipv6Groups('not-an-address')).toBeUndefined();
  });

  it('treats what is not an address as one opaque client', () => {
    expect(ipGroup('unknown')).toBe('?:unknown');
  });
});
