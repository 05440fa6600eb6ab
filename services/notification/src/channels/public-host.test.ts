import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isPublicAddress, literalHostProblem, publicHostProblem } from './public-host.js'

test('when addresses are judged, then loopback, private, link-local, shared, mapped and multicast ones are not public', () => {
  const inward = [
    '127.0.0.1',
    '127.9.9.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.0.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '64:ff9b::a00:1',
    'ff02::1',
    'not an address',
  ]
  for (const ip of inward) assert.equal(isPublicAddress(ip), false, ip)
  for (const ip of ['8.8.8.8', '142.250.185.74', '172.32.0.1', '2a00:1450:4001:80e::200a', '2606:4700::1111'])
    assert.equal(isPublicAddress(ip), true, ip)
})

test('when a name resolves to any non-public address, then calling it is refused; a public one or an unresolvable one is not', async () => {
  const resolving = (addresses: string[] | Error) => async (): Promise<Array<{ address: string }>> => {
    if (addresses instanceof Error) throw addresses
    return addresses.map((address) => ({ address }))
  }
  const url = new URL('https://push.example.com/x')
  assert.equal(await publicHostProblem(url, resolving(['10.0.0.5'])), 'resolves to a non-public address')
  assert.equal(await publicHostProblem(url, resolving(['8.8.8.8', '127.0.0.1'])), 'resolves to a non-public address')
  assert.equal(await publicHostProblem(url, resolving(['142.250.185.74', '2a00:1450:4001:80e::200a'])), null)
  assert.equal(await publicHostProblem(url, resolving(new Error('ENOTFOUND'))), null)
  // An address in the URL is judged without a lookup.
  assert.equal(await publicHostProblem(new URL('https://8.8.8.8/x'), resolving(['127.0.0.1'])), null)
  assert.equal(await publicHostProblem(new URL('https://[fd00::1]/x'), resolving([])), 'must be a public address')
  assert.equal(literalHostProblem(new URL('https://LOCALHOST./x')), 'must be a public host, not this machine')
  assert.equal(literalHostProblem(new URL('https://fcm.googleapis.com/fcm/send/abc')), null)
})
