import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createECDH, randomBytes, randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import { isIP, type AddressInfo } from 'node:net'
import webpush from 'web-push'
import type { ClaimedDelivery } from '../store.js'
import { PermanentDeliveryError } from './port.js'
import { isPublicAddress, literalHostProblem, NonPublicAddressError, publicOnlyLookup, type LookupFunction } from './public-host.js'
import { createWebPushSender } from './webpush.js'

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

/** A resolver answering every name with these addresses, in both of dns.lookup's forms. */
function resolvingTo(addresses: string[] | Error): LookupFunction {
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (addresses instanceof Error) return callback(addresses)
    const all = addresses.map((address) => ({ address, family: isIP(address) }))
    if (options.all) callback(null, all)
    else callback(null, all[0]!.address, all[0]!.family)
  }) as LookupFunction
}

const lookUp = (lookup: LookupFunction, all: boolean) =>
  new Promise<unknown>((resolve, reject) =>
    lookup('push.example.com', { all }, (err: Error | null, address: unknown) => (err ? reject(err) : resolve(address))),
  )

test('when a name resolves to any non-public address, then the guarded lookup refuses it; a public one passes as resolved', async () => {
  for (const all of [false, true]) {
    await assert.rejects(lookUp(publicOnlyLookup(resolvingTo(['10.0.0.5'])), all), NonPublicAddressError)
    await assert.rejects(lookUp(publicOnlyLookup(resolvingTo(['127.0.0.1'])), all), /resolves to a non-public address/)
    await assert.rejects(lookUp(publicOnlyLookup(resolvingTo(new Error('ENOTFOUND'))), all), /ENOTFOUND/)
  }
  // Any one address inward is enough: the connection may pick it.
  await assert.rejects(lookUp(publicOnlyLookup(resolvingTo(['8.8.8.8', '::1'])), true), NonPublicAddressError)
  assert.equal(await lookUp(publicOnlyLookup(resolvingTo(['142.250.185.74'])), false), '142.250.185.74')
  assert.deepEqual(await lookUp(publicOnlyLookup(resolvingTo(['142.250.185.74', '2a00:1450:4001:80e::200a'])), true), [
    { address: '142.250.185.74', family: 4 },
    { address: '2a00:1450:4001:80e::200a', family: 6 },
  ])
  assert.equal(literalHostProblem(new URL('https://[fd00::1]/x')), 'must be a public address')
  assert.equal(literalHostProblem(new URL('https://LOCALHOST./x')), 'must be a public host, not this machine')
  assert.equal(literalHostProblem(new URL('https://fcm.googleapis.com/fcm/send/abc')), null)
})

test('when a push endpoint’s name resolves to this machine, then the sender refuses it as it connects and the server sees nothing', async (t) => {
  const seen: string[] = []
  const server = createServer((req, res) => {
    seen.push(req.url ?? '')
    res.writeHead(201).end()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  t.after(() => server.close())
  const port = (server.address() as AddressInfo).port
  const vapid = { ...webpush.generateVAPIDKeys(), subject: 'mailto:ops@brokerage.test' }
  const browser = createECDH('prime256v1')
  browser.generateKeys()
  const delivery = {
    notificationId: randomUUID(),
    eventType: 'DepositCompleted',
    subject: 'Deposit',
    body: 'done',
    customerId: randomUUID(),
    subscriptionId: randomUUID(),
    push: {
      endpoint: `http://push.example.test:${port}/send/1`,
      p256dh: browser.getPublicKey().toString('base64url'),
      auth: randomBytes(16).toString('base64url'),
    },
  } as ClaimedDelivery
  const inward = resolvingTo(['127.0.0.1'])
  const guarded = createWebPushSender({ db: null as never, store: null as never, vapid, timeoutMs: 5_000, resolve: inward })
  await assert.rejects(guarded.send(delivery), (err: Error) => {
    assert.ok(err instanceof PermanentDeliveryError)
    assert.equal(err.message, 'endpoint not called: its host resolves to a non-public address')
    return true
  })
  assert.deepEqual(seen, [])
  // The same name, private hosts allowed (development): the request goes through that resolver to the server.
  const open = createWebPushSender({
    db: null as never,
    store: null as never,
    vapid,
    timeoutMs: 5_000,
    resolve: inward,
    allowPrivate: true,
  })
  await open.send(delivery)
  assert.deepEqual(seen, ['/send/1'])
})
