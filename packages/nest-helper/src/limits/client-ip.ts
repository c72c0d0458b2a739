import { isIPv4, isIPv6 } from 'node:net';

/** The key of clients whose platform reported no usable address: they share one budget. */
export const UNKNOWN_CLIENT = 'unknown';

/**
 * The key that per-IP limits count a client under, from the platform's `request.ip`. An IPv6
 * client usually holds a whole /64 (and can pick any address in it), so IPv6 addresses count by
 * their /64 prefix; an IPv4-mapped IPv6 address (`::ffff:203.0.113.7`, as dual-stack servers
 * report IPv4 clients) counts as the IPv4 address. See docs/limits.md.
 */
export function clientIpKey(ip: string | undefined | null): string {
  if (typeof ip !== 'string') return UNKNOWN_CLIENT;
  // Zone ids (`fe80::1%eth0`) name the server's interface, not the client.
  const address = ip.trim().split('%')[0]!;
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return UNKNOWN_CLIENT;
  const groups = ipv6Groups(address);
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address, `::` expanded and a dotted IPv4 tail split. */
function ipv6Groups(address: string): number[] {
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  let text = address;
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${address.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const parse = (part: string | undefined) =>
    part ? part.split(':').map((group) => parseInt(group, 16)) : [];
  const front = parse(head);
  const back = parse(tail);
  return [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
}
