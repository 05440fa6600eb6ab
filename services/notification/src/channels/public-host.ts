import { lookup as dnsLookup } from 'node:dns/promises'
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
 * to is checked when it is called (publicHostProblem).
 */
export function literalHostProblem(url: URL): string | null {
  const host = hostOf(url)
  if (host === 'localhost' || host.endsWith('.localhost')) return 'must be a public host, not this machine'
  if (isIP(host) && !isPublicAddress(host)) return 'must be a public address'
  return null
}

export type Lookup = (host: string) => Promise<Array<{ address: string }>>
const systemLookup: Lookup = (host) => dnsLookup(host, { all: true, verbatim: true })

/**
 * Why calling the URL's host would reach a non-public address (every address its name resolves
 * to is checked), or null when it is public. A name that does not resolve is left to the call.
 */
export async function publicHostProblem(url: URL, lookup: Lookup = systemLookup): Promise<string | null> {
  const literal = literalHostProblem(url)
  if (literal) return literal
  const host = hostOf(url)
  if (isIP(host)) return null
  let addresses: Array<{ address: string }>
  try {
    addresses = await lookup(host)
  } catch {
    return null
  }
  const inner = addresses.find((a) => !isPublicAddress(a.address))
  // The address itself is not said: the answer is shown to the customer.
  return inner ? 'resolves to a non-public address' : null
}
