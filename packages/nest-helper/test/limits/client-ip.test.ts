import { describe, expect, it } from '@jest/globals';
import { UNKNOWN_CLIENT, clientIpKey } from '../../src/limits/client-ip.js';

describe('clientIpKey', () => {
  it('keeps an IPv4 address as it is', () => {
    expect(clientIpKey('203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts an IPv6 address by its /64, however it is written', () => {
    expect(clientIpKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(clientIpKey('2001:0DB8:0001:0002:ffff:ffff:ffff:fffe')).toBe('2001:db8:1:2::/64');
    expect(clientIpKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientIpKey('::1')).toBe('0:0:0:0::/64');
    expect(clientIpKey('2001:db8:1:3::1')).not.toBe(clientIpKey('2001:db8:1:2::1'));
  });

  it('counts an IPv4-mapped IPv6 address as the IPv4 address', () => {
    expect(clientIpKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientIpKey('::FFFF:cb00:7107')).toBe('203.0.113.7');
    // Not mapped: an IPv4-compatible or NAT64 address is an IPv6 client.
    expect(clientIpKey('64:ff9b::203.0.113.7')).toBe('64:ff9b:0:0::/64');
  });

  it('ignores a zone id, which names the server’s interface', () => {
    expect(clientIpKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  it('puts clients without a usable address in one shared bucket', () => {
    for (const ip of [undefined, null, '', 'not-an-ip', '300.1.1.1', '1:2:3'])
      expect(clientIpKey(ip)).toBe(UNKNOWN_CLIENT);
  });
});
