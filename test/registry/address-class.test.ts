import { describe, expect, it } from 'vitest'
import { ipv6Bytes, refusedAddressClass } from '../../src/registry/address-class.js'

describe('refusedAddressClass (SSRF guard)', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.5.6.7', 'loopback'],
    ['10.1.2.3', 'private (RFC 1918)'],
    ['172.16.0.1', 'private (RFC 1918)'],
    ['172.31.255.255', 'private (RFC 1918)'],
    ['192.168.1.1', 'private (RFC 1918)'],
    ['169.254.169.254', 'cloud metadata'],
    ['169.254.170.2', 'cloud metadata'],
    ['169.254.170.23', 'cloud metadata'],
    ['100.100.100.200', 'cloud metadata'],
    ['168.63.129.16', 'cloud metadata'],
    ['192.0.0.192', 'cloud metadata'],
    ['169.254.1.1', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT (100.64.0.0/10)'],
    ['100.127.255.255', 'carrier-grade NAT (100.64.0.0/10)'],
    ['0.0.0.0', '"this network" (0.0.0.0/8)'],
    ['0.1.2.3', '"this network" (0.0.0.0/8)'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.1', 'reserved (documentation)'],
    ['198.18.0.1', 'reserved (benchmarking)'],
    ['::1', 'loopback'],
    ['::', 'unspecified (::)'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['fc00::1', 'unique-local (fc00::/7)'],
    ['fd12:3456::1', 'unique-local (fc00::/7)'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['fd00:ec2::23', 'cloud metadata'],
    ['fec0::1', 'site-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved (documentation)'],
    ['100::1', 'reserved (discard)'],
    ['64:ff9b:1::1', 'private (local-use NAT64)'],
    // IPv4 inside IPv6: mapped, compatible, NAT64 and 6to4 reach the embedded IPv4 address
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'cloud metadata'],
    ['::ffff:10.0.0.1', 'private (RFC 1918)'],
    ['0:0:0:0:0:ffff:c0a8:0101', 'private (RFC 1918)'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'cloud metadata'],
    ['64:ff9b::10.0.0.1', 'private (RFC 1918)'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:a9fe:a9fe::1', 'cloud metadata'],
    ['registry.example', 'not an IP address'],
  ])('refuses %s as %s', (address, label) => {
    expect(refusedAddressClass(address)).toBe(label)
  })

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '52.94.76.1',
    '11.0.0.1',
    '172.15.255.255',
    '172.32.0.1',
    '192.169.0.1',
    '100.63.255.255',
    '100.128.0.0',
    '169.253.255.255',
    '223.255.255.255',
    '2606:4700:4700::1111',
    '2a05:d018::1',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('lets the public address %s through', (address) => {
    expect(refusedAddressClass(address)).toBeUndefined()
  })

  it('expands IPv6 text forms to 16 bytes', () => {
    expect(ipv6Bytes('::1')).toEqual([...Array<number>(15).fill(0), 1])
    expect(ipv6Bytes('fd00:ec2::254')).toEqual([0xfd, 0, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54])
    expect(ipv6Bytes('::ffff:1.2.3.4')).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4])
    expect(ipv6Bytes('1:2:3:4:5:6:7:8')).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8])
  })
})
