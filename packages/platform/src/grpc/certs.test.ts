import assert from 'node:assert/strict'
import { X509Certificate } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { createSecureContext } from 'node:tls'
import forge from 'node-forge'
import { certificateSerial, createCertificateAuthority, ensureDevCertificates } from './certs.js'

const ca = createCertificateAuthority()

/** A certificate with this serial, signed the way the development CA signs. */
function selfSigned(serial: string): string {
  const caCert = forge.pki.certificateFromPem(ca.cert)
  const cert = forge.pki.createCertificate()
  cert.publicKey = caCert.publicKey
  cert.serialNumber = serial
  cert.validity.notBefore = new Date(Date.now() - 60_000)
  cert.validity.notAfter = new Date(Date.now() + 825 * 86_400_000)
  cert.setSubject([{ name: 'commonName', value: 'serial-test' }])
  cert.setIssuer(caCert.subject.attributes)
  cert.sign(forge.pki.privateKeyFromPem(ca.key), forge.md.sha256.create())
  return forge.pki.certificateToPem(cert)
}

test('when the random bytes of a serial start with zeros or a high bit, then the certificate still loads in TLS', () => {
  // Random bytes the old serial turned into a DER INTEGER OpenSSL refuses (00 00 …: "illegal
  // padding") and the neighbours of those cases. One certificate in 65,536 came out so and its
  // service could not start (CI, the live feed e2e test).
  const patterns = ['00000012', '80000012', '00000000', '00008012', '000000ff', 'ffffffff', '7f000012', '00120000'].map((head) =>
    Buffer.from(head.padEnd(32, '0'), 'hex'),
  )
  for (const random of patterns) {
    const serial = certificateSerial(random)
    const pem = selfSigned(serial)
    const loaded = new X509Certificate(pem)
    assert.equal(loaded.serialNumber.toLowerCase(), serial, `serial of ${random.toString('hex')}`)
    assert.doesNotThrow(() => createSecureContext({ cert: pem, key: ca.key }), `serial of ${random.toString('hex')}`)
  }
})

test('when serials are drawn, then each is 16 bytes, positive and different', () => {
  const serials = new Set(Array.from({ length: 1000 }, () => certificateSerial()))
  assert.equal(serials.size, 1000)
  for (const s of serials) {
    assert.match(s, /^[0-9a-f]{32}$/)
    assert.ok(Number.parseInt(s.slice(0, 2), 16) >= 0x40 && Number.parseInt(s.slice(0, 2), 16) <= 0x7f, s)
  }
})

test('when a certificate on disk cannot be loaded, then ensureDevCertificates issues it again and keeps the others', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'certs-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const first = await ensureDevCertificates(dir, ['order', 'asset'])
  const assetBefore = await readFile(first.asset!.cert, 'utf8')
  // What the old serial made now and then: a certificate node-forge reads but OpenSSL refuses.
  const broken = selfSigned('00000012'.padEnd(32, '0'))
  assert.throws(() => new X509Certificate(broken), /illegal padding/)
  await writeFile(first.order!.cert, broken)
  const again = await ensureDevCertificates(dir, ['order', 'asset'])
  const order = await readFile(again.order!.cert, 'utf8')
  const key = await readFile(again.order!.key, 'utf8')
  assert.doesNotThrow(() => createSecureContext({ cert: order, key }))
  assert.equal(new X509Certificate(order).subject, 'CN=order')
  assert.equal(await readFile(again.asset!.cert, 'utf8'), assetBefore)
})
