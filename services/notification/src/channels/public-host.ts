import { lookup as dnsLookupCallback } from 'node:dns'
import { BlockList, isIP } from 'node:net'

// A push endpoint is a URL the customer gives; the service then sends requests to it and shows
// the answer's status in the delivery's lastError. Without a check, a customer could make the
// service call its own network (loopback, the cluster's private addresses, cloud metadata at
// 169.254.169.254) and read what answers. Push services (FCM, Mozilla, Apple, Microsoft) are
// public hosts, so only public addresses are called.

const NOT_PUBLIC = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv4')
for (const [net, prefix] of [
  ['::', 127], // unspecified and loopback
  ['64:ff9b::', 96], // NAT64 (IPv4-mapped ones, ::ffff:a.b.c.d, BlockList judges by their IPv4 address)
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv6')

/** Whether `ip` (an IPv4 or IPv6 address) is reachable on the public internet, as far as its range says. */
export function isPublicAddress(ip: string): boolean {
  const family = isIP(ip)
  if (family === 0) return false
  return !NOT_PUBLIC.check(ip, family === 4 ? 'ipv4' : 'ipv6')
}

const hostOf = (url: URL) =>
  url.hostname
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase()

/**
 * Why the URL's host is not a public one, judged from the URL alone (an address, or a name
 * that always means this machine); null if nothing in the URL says so. What a name resolves
 * to is checked when it is called (publicOnlyLookup).
 */
export function literalHostProblem(url: URL): string | null {
  const host = hostOf(url)
  if (host === 'localhost' || host.endsWith('.localhost')) return 'must be a public host, not this machine'
  if (isIP(host) && !isPublicAddress(host)) return 'must be a public address'
  return null
}

/** The address-resolving function `net.connect` takes (its `lookup` option). */
export type LookupFunction = NonNullable<LookupOption>
type LookupOption = import('node:net').TcpNetConnectOpts['lookup']

/** What a guarded lookup fails with when a name resolves to a non-public address. */
export class NonPublicAddressError extends Error {
  readonly code = 'ENONPUBLIC'
  constructor() {
    // The address itself is not said: the delivery's error is shown to the customer.
    super('resolves to a non-public address')
  }
}

/**
 * A `lookup` for connections that must reach public addresses only: resolves as `resolve` does
 * (dns.lookup by default) and fails with NonPublicAddressError when any address is not public.
 * Checked as the connection is made, so a name cannot be pointed inward between a check and the
 * call (DNS rebinding). Addresses in the URL itself are not looked up: literalHostProblem judges them.
 */
export function publicOnlyLookup(resolve: LookupFunction = dnsLookupCallback): LookupFunction {
  return ((hostname: string, options: object, callback: (...args: unknown[]) => void) => {
    resolve(
      hostname,
      options as never,
      ((err: Error | null, address: string | Array<{ address: string }>, family?: number) => {
        if (err) return callback(err)
        const all = Array.isArray(address) ? address : [{ address }]
        if (all.some((a) => !isPublicAddress(a.address))) return callback(new NonPublicAddressError())
        callback(null, address, family)
      }) as never,
    )
  }) as LookupFunction
}
