import { isIPv4, isIPv6 } from 'node:net'

/**
 * Which addresses an image check must not reach on a caller's say-so: anything that is not the public
 * internet (loopback, private, link-local, carrier-grade NAT, unique-local, multicast, reserved) and
 * the cloud metadata endpoints, including the ECS task metadata endpoint this service itself runs next to.
 */

type Range = readonly [prefix: readonly number[], bits: number, label: string]

const METADATA = 'cloud metadata'

const V4_RANGES: readonly Range[] = [
  [[169, 254, 169, 254], 32, METADATA], // EC2 instance metadata (also GCP, Azure IMDS, OpenStack)
  [[169, 254, 170, 2], 32, METADATA], // ECS task metadata and credentials
  [[169, 254, 170, 23], 32, METADATA], // EKS pod identity agent
  [[100, 100, 100, 200], 32, METADATA], // Alibaba Cloud metadata
  [[168, 63, 129, 16], 32, METADATA], // Azure wire server (a public address, but host-internal)
  [[192, 0, 0, 192], 32, METADATA], // Oracle Cloud metadata
  [[0], 8, '"this network" (0.0.0.0/8)'],
  [[127], 8, 'loopback'],
  [[10], 8, 'private (RFC 1918)'],
  [[172, 16], 12, 'private (RFC 1918)'],
  [[192, 168], 16, 'private (RFC 1918)'],
  [[100, 64], 10, 'carrier-grade NAT (100.64.0.0/10)'],
  [[169, 254], 16, 'link-local'],
  [[192, 0, 0], 24, 'reserved'],
  [[192, 0, 2], 24, 'reserved (documentation)'],
  [[198, 51, 100], 24, 'reserved (documentation)'],
  [[203, 0, 113], 24, 'reserved (documentation)'],
  [[198, 18], 15, 'reserved (benchmarking)'],
  [[224], 4, 'multicast'],
  [[240], 4, 'reserved'],
]

const V6_RANGES: readonly Range[] = [
  [[0xfd, 0x00, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54], 128, METADATA], // EC2 metadata fd00:ec2::254
  [[0xfd, 0x00, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x23], 128, METADATA], // EKS pod identity fd00:ec2::23
  [Array<number>(16).fill(0), 128, 'unspecified (::)'],
  [[...Array<number>(15).fill(0), 1], 128, 'loopback'],
  [[0x00, 0x64, 0xff, 0x9b, 0x00, 0x01], 48, 'private (local-use NAT64)'],
  [[0x01, 0x00, 0, 0, 0, 0, 0, 0], 64, 'reserved (discard)'],
  [[0x20, 0x01, 0x0d, 0xb8], 32, 'reserved (documentation)'],
  [[0xfc], 7, 'unique-local (fc00::/7)'],
  [[0xfe, 0x80], 10, 'link-local'],
  [[0xfe, 0xc0], 10, 'site-local'],
  [[0xff], 8, 'multicast'],
]

function matches(bytes: readonly number[], [prefix, bits]: Range): boolean {
  for (let i = 0; i < Math.ceil(bits / 8); i++) {
    const mask = i < Math.floor(bits / 8) ? 0xff : (0xff << (8 - (bits % 8))) & 0xff
    if (((bytes[i] ?? 0) & mask) !== ((prefix[i] ?? 0) & mask)) return false
  }
  return true
}

function ipv4Bytes(address: string): number[] {
  return address.split('.').map(Number)
}

/** The 16 bytes of an IPv6 address (zone id dropped, trailing dotted quad allowed). */
export function ipv6Bytes(address: string): number[] {
  let text = address.split('%', 1)[0]!
  const tail: number[] = []
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (quad) {
    tail.push(...ipv4Bytes(quad[1]!))
    text = `${text.slice(0, quad.index)}0:0`
  }
  const [head, rest] = text.split('::') as [string, string | undefined]
  const groups = (s: string | undefined): string[] => (s ? s.split(':') : [])
  const left = groups(head)
  const right = groups(rest)
  const all = rest === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
  const bytes = all.flatMap((g) => {
    const n = parseInt(g, 16)
    return [n >> 8, n & 0xff]
  })
  if (tail.length) bytes.splice(12, 4, ...tail)
  return bytes
}

/** IPv4 addresses carried inside IPv6 ones that a router would deliver to that IPv4 address. */
function embeddedIPv4(bytes: readonly number[]): number[] | undefined {
  const zeros = (from: number, to: number): boolean => bytes.slice(from, to).every((b) => b === 0)
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (deprecated "compatible"; :: and ::1 are classified before)
  if (zeros(0, 10) && ((bytes[10] === 0xff && bytes[11] === 0xff) || zeros(10, 12))) return bytes.slice(12)
  // 64:ff9b::a.b.c.d: well-known NAT64, which is how an IPv6-only VPC reaches IPv4 hosts
  if (matches(bytes, [[0x00, 0x64, 0xff, 0x9b], 96, ''])) return bytes.slice(12)
  // 2002:aabb:ccdd::/48: 6to4
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return bytes.slice(2, 6)
  return undefined
}

function classifyV4(bytes: readonly number[]): string | undefined {
  return V4_RANGES.find((r) => matches(bytes, r))?.[2]
}

/**
 * Why `address` (a literal IPv4 or IPv6 address) must not be reached, or `undefined` when it is a
 * public address. A string that is not an IP address is refused too.
 */
export function refusedAddressClass(address: string): string | undefined {
  if (isIPv4(address)) return classifyV4(ipv4Bytes(address))
  if (!isIPv6(address.split('%', 1)[0]!)) return 'not an IP address'
  const bytes = ipv6Bytes(address)
  const own = V6_RANGES.find((r) => matches(bytes, r))?.[2]
  if (own) return own
  const v4 = embeddedIPv4(bytes)
  return v4 ? classifyV4(v4) : undefined
}
