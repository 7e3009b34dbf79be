import { BlockList, isIP } from 'node:net';

/**
 * IPv4 ranges a webhook or HTTP agent must never reach: every range of IANA's special-purpose
 * registry that is not globally reachable (docs/behaviour.md#outbound-requests).
 */
const FORBIDDEN_V4: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // RFC 1918
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12], // RFC 1918
  ['192.0.0.0', 24], // IETF protocol assignments (DS-Lite, NAT64 discovery, ...)
  ['192.0.2.0', 24], // documentation (TEST-NET-1)
  ['192.88.99.0', 24], // deprecated 6to4 relay anycast
  ['192.168.0.0', 16], // RFC 1918
  ['198.18.0.0', 15], // benchmarking; often routed to lab networks
  ['198.51.100.0', 24], // documentation (TEST-NET-2)
  ['203.0.113.0', 24], // documentation (TEST-NET-3)
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, includes 255.255.255.255
];

/** IPv6 ranges checked directly (embedded-IPv4 forms are handled separately). */
const FORBIDDEN_V6: ReadonlyArray<readonly [string, number]> = [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b:1::', 48], // local-use NAT64 (RFC 8215): translates to any IPv4 address, 169.254.169.254 included
  ['100::', 64], // discard-only
  ['2001::', 23], // IETF protocol assignments: Teredo (2001::/32) tunnels to an obfuscated IPv4, ORCHID, benchmarking
  ['2001:db8::', 32], // documentation
  ['3fff::', 20], // documentation
  ['5f00::', 16], // segment routing (SRv6) SIDs
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated, still routed inside some networks)
  ['ff00::', 8], // multicast
];

const v4List = new BlockList();
for (const [net, prefix] of FORBIDDEN_V4) v4List.addSubnet(net, prefix, 'ipv4');
v4List.addAddress('255.255.255.255', 'ipv4');

const v6List = new BlockList();
for (const [net, prefix] of FORBIDDEN_V6) v6List.addSubnet(net, prefix, 'ipv6');

/** Expands an IPv6 literal (without zone id) to eight 16-bit groups, or null when malformed. */
export const ipv6Groups = (ip: string): number[] | null => {
  let text = ip;
  const lastColon = text.lastIndexOf(':');
  const maybeV4 = text.slice(lastColon + 1);
  if (maybeV4.includes('.')) {
    // Rewrite a trailing dotted quad as two hex groups.
    if (isIP(maybeV4) !== 4) return null;
    const [a = 0, b = 0, c = 0, d = 0] = maybeV4.split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const parse = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const doubleColon = text.indexOf('::');
  if (doubleColon < 0) {
    const groups = parse(text);
    return groups && groups.length === 8 ? groups : null;
  }
  const head = parse(text.slice(0, doubleColon));
  const rest = parse(text.slice(doubleColon + 2));
  if (!head || !rest || head.length + rest.length > 7) return null;
  return [...head, ...new Array<number>(8 - head.length - rest.length).fill(0), ...rest];
};

const v4FromGroups = (hi: number, lo: number): string => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;

/** The IPv4 address embedded in an IPv4-mapped, IPv4-compatible, NAT64 or 6to4 IPv6 address. */
const embeddedV4 = (g: number[]): string | null => {
  const [g0, g1, g2, g3, g4, g5, g6 = 0, g7 = 0] = g;
  const zeroUpTo = (n: number): boolean => g.slice(0, n).every((x) => x === 0);
  // ::ffff:a.b.c.d (IPv4-mapped)
  if (zeroUpTo(5) && g5 === 0xffff) return v4FromGroups(g6, g7);
  // ::ffff:0:a.b.c.d (IPv4-translated, RFC 2765)
  if (zeroUpTo(4) && g4 === 0xffff && g5 === 0) return v4FromGroups(g6, g7);
  // ::a.b.c.d (deprecated IPv4-compatible); :: and ::1 are handled by the v6 list
  if (zeroUpTo(6) && (g6 !== 0 || g7 > 1)) return v4FromGroups(g6, g7);
  // 64:ff9b::/96 (NAT64 well-known prefix)
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return v4FromGroups(g6, g7);
  // 2002::/16 (6to4) embeds the IPv4 address in groups 1-2
  if (g0 === 0x2002 && g1 !== undefined && g2 !== undefined) return v4FromGroups(g1, g2);
  return null;
};

/**
 * True when `ip` (an IPv4 or IPv6 literal) is loopback, private, link-local, CGNAT, multicast,
 * reserved, or an IPv6 form that embeds such an IPv4 address. Anything that is not a valid IP
 * literal is treated as forbidden (fail closed).
 */
export const isForbiddenAddress = (ip: string): boolean => {
  let text = ip.trim();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const family = isIP(text);
  if (family === 4) return v4List.check(text, 'ipv4');
  if (family !== 6) return true;
  const groups = ipv6Groups(text);
  if (!groups) return true;
  const v4 = embeddedV4(groups);
  if (v4 !== null) return v4List.check(v4, 'ipv4');
  return v6List.check(text, 'ipv6');
};
