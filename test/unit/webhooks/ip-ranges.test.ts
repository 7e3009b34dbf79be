import { describe, expect, it } from 'vitest';
import { isForbiddenAddress } from '../../../src/webhooks/delivery';

describe('isForbiddenAddress', () => {
  it.each([
    ['0.0.0.0', true],
    ['0.1.2.3', true],
    ['127.0.0.1', true],
    ['127.255.255.254', true],
    ['10.0.0.1', true],
    ['172.16.0.1', true],
    ['172.31.255.255', true],
    ['172.32.0.1', false],
    ['172.15.255.255', false],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['100.127.255.255', true],
    ['100.128.0.1', false],
    ['224.0.0.1', true],
    ['239.255.255.250', true],
    ['240.0.0.1', true],
    ['255.255.255.255', true],
    ['8.8.8.8', false],
    ['93.184.216.34', false],
    ['::', true],
    ['::1', true],
    ['fe80::1', true],
    ['fe80::1%eth0', true],
    ['febf::1', true],
    ['fc00::1', true],
    ['fd12:3456::1', true],
    ['ff02::1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:7f00:1', true],
    ['::ffff:a9fe:a9fe', true],
    ['::ffff:10.1.2.3', true],
    ['::ffff:8.8.8.8', false],
    ['::ffff:808:808', false],
    ['64:ff9b::7f00:1', true],
    ['64:ff9b::127.0.0.1', true],
    ['64:ff9b::a9fe:a9fe', true],
    ['64:ff9b::8.8.8.8', false],
    ['::127.0.0.1', true],
    ['2002:7f00:1::', true],
    ['2001:4860:4860::8888', false],
    ['2606:4700::1111', false],
    ['[::1]', true],
    ['not-an-ip', true],
    ['', true],
  ])('%s → forbidden=%s', (ip, forbidden) => {
    expect(isForbiddenAddress(ip)).toBe(forbidden);
  });
});

describe('isForbiddenAddress: special-purpose ranges that are not globally reachable', () => {
  it.each([
    ['64:ff9b:1::a9fe:a9fe', 'local-use NAT64 to 169.254.169.254'],
    ['64:ff9b:1::808:808', 'local-use NAT64, whatever IPv4 it embeds'],
    ['64:ff9b:1:ffff::1', 'the end of 64:ff9b:1::/48'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
    ['2001::1', 'Teredo, start of 2001::/32'],
    ['2001:1ff:ffff::1', 'the end of the IETF block 2001::/23'],
    ['2001:db8::1', 'IPv6 documentation'],
    ['3fff::1', 'IPv6 documentation (3fff::/20)'],
    ['5f00::1', 'SRv6 SIDs'],
    ['fec0::1', 'site-local'],
    ['feff:ffff::1', 'the end of fec0::/10'],
    ['100::1', 'discard-only'],
    ['100::ffff:ffff:ffff:ffff', 'the end of 100::/64'],
    ['198.18.0.1', 'benchmarking'],
    ['198.19.255.255', 'the end of 198.18.0.0/15'],
    ['192.0.0.1', 'IETF protocol assignments'],
    ['192.0.0.255', 'the end of 192.0.0.0/24'],
    ['192.0.2.1', 'TEST-NET-1'],
    ['198.51.100.7', 'TEST-NET-2'],
    ['203.0.113.9', 'TEST-NET-3'],
    ['192.88.99.1', '6to4 relay anycast'],
    ['::ffff:198.18.0.1', 'benchmarking, IPv4-mapped'],
    ['64:ff9b::c000:1', 'IETF protocol assignments through well-known NAT64'],
  ])('refuses %s (%s)', (ip) => {
    expect(isForbiddenAddress(ip)).toBe(true);
  });

  it.each([
    ['2001:200::1', 'the first public block after 2001::/23'],
    ['100:0:0:1::1', 'just past 100::/64'],
    ['64:ff9b:2::1', 'just past 64:ff9b:1::/48'],
    ['198.17.255.255', 'just below 198.18.0.0/15'],
    ['198.20.0.0', 'just past 198.18.0.0/15'],
    ['192.0.1.1', 'just past 192.0.0.0/24'],
    ['2600::1', 'global unicast'],
  ])('allows %s (%s)', (ip) => {
    expect(isForbiddenAddress(ip)).toBe(false);
  });
});
