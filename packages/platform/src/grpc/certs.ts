// A development certificate authority for the platform's mutual TLS: `npm start` and the
// tests issue one certificate per service with it. Production brings its own (files or
// Kubernetes secrets, GRPC_TLS_CA/CERT/KEY). node-forge builds the X.509 structures; the
// keys come from Node's own crypto, which is native and fast.
import { X509Certificate, generateKeyPairSync, randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import forge from 'node-forge'

export interface IssuedCertificate {
  /** PEM */
  cert: string
  /** PEM (PKCS#8) */
  key: string
}

export interface CertificateAuthority {
  /** The CA's certificate (PEM), the only thing a peer needs to trust the certificates issued here. */
  cert: string
  /**
   * A certificate for a service named `name` (its CN and a DNS name), valid for serving and for calling:
   * the same certificate is a service's server identity and its client identity.
   */
  issue(name: string, o?: { dnsNames?: string[]; days?: number }): IssuedCertificate
}

const DAY_MS = 24 * 60 * 60 * 1000

function rsaKeys() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  const key = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey
  return { pem, key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e) }
}

/**
 * A certificate's serial number (hex) from 16 random bytes. Its first byte is kept within
 * 0x40–0x7f: positive (a leading bit set would make it a negative INTEGER in DER) and never a
 * zero that DER must not carry. node-forge drops one leading zero byte but not two, so a
 * serial starting 00 00 came out as an INTEGER OpenSSL refuses ("illegal padding") and the
 * service holding that certificate could not start: about one certificate in 65,536.
 */
export function certificateSerial(random: Buffer = randomBytes(16)): string {
  const bytes = Buffer.from(random)
  bytes[0] = (bytes[0]! & 0x3f) | 0x40
  return bytes.toString('hex')
}

function validity(cert: forge.pki.Certificate, days: number) {
  // A minute back: a peer whose clock is slightly behind still accepts a fresh certificate.
  cert.validity.notBefore = new Date(Date.now() - 60_000)
  cert.validity.notAfter = new Date(Date.now() + days * DAY_MS)
}

/** A new CA, in memory. */
export function createCertificateAuthority(commonName = 'Brokerage platform CA'): CertificateAuthority & { key: string } {
  const keys = rsaKeys()
  const cert = forge.pki.createCertificate()
  cert.publicKey = keys.publicKey
  cert.serialNumber = certificateSerial()
  validity(cert, 3650)
  const subject = [{ name: 'commonName', value: commonName }]
  cert.setSubject(subject)
  cert.setIssuer(subject)
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ])
  cert.sign(keys.key, forge.md.sha256.create())
  return { ...loadCertificateAuthority(forge.pki.certificateToPem(cert), keys.pem), key: keys.pem }
}

/** A CA from its certificate and key (PEM). */
export function loadCertificateAuthority(certPem: string, keyPem: string): CertificateAuthority {
  const caCert = forge.pki.certificateFromPem(certPem)
  const caKey = forge.pki.privateKeyFromPem(keyPem)
  return {
    cert: certPem,
    issue(name, o = {}) {
      const keys = rsaKeys()
      const cert = forge.pki.createCertificate()
      cert.publicKey = keys.publicKey
      cert.serialNumber = certificateSerial()
      validity(cert, o.days ?? 825)
      cert.setSubject([{ name: 'commonName', value: name }])
      cert.setIssuer(caCert.subject.attributes)
      // The name alone: a caller's certificate names are its identity (GRPC_TLS_ALLOWED_CALLERS).
      const dnsNames = [...new Set([name, ...(o.dnsNames ?? [])])]
      cert.setExtensions([
        { name: 'basicConstraints', cA: false, critical: true },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
        { name: 'subjectAltName', altNames: dnsNames.map((value) => ({ type: 2, value })) },
        { name: 'subjectKeyIdentifier' },
        { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
      ])
      cert.sign(caKey, forge.md.sha256.create())
      return { cert: forge.pki.certificateToPem(cert), key: keys.pem }
    },
  }
}

export interface CertificateFiles {
  ca: string
  cert: string
  key: string
}

async function writeAtomically(path: string, data: string, mode: number) {
  const tmp = `${path}.${process.pid}.tmp`
  await writeFile(tmp, data, { mode })
  await rename(tmp, path)
}

/** Whether a certificate on disk must be made again: one OpenSSL cannot load, or one near its expiry. */
function unusable(certPem: string, ms: number): boolean {
  try {
    return new Date(new X509Certificate(certPem).validTo).getTime() - Date.now() < ms
  } catch {
    return true
  }
}

/** Where ensureDevCertificates keeps `name`'s files in `dir`. */
export function devCertificatePaths(dir: string, name: string): CertificateFiles {
  return { ca: join(dir, 'ca.pem'), cert: join(dir, `${name}.pem`), key: join(dir, `${name}-key.pem`) }
}

/**
 * The development PKI in `dir`: the CA (made on first use, then kept) and one certificate per
 * name, issued when missing, within 30 days of expiry or not loadable by OpenSSL. Returns each name's file paths, the
 * form services read them in (GRPC_TLS_CA, GRPC_TLS_CERT, GRPC_TLS_KEY).
 */
export async function ensureDevCertificates(dir: string, names: readonly string[]): Promise<Record<string, CertificateFiles>> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const caCertPath = devCertificatePaths(dir, 'ca').ca
  const caKeyPath = join(dir, 'ca-key.pem')
  let ca: CertificateAuthority
  let caIssued = false
  if (existsSync(caCertPath) && existsSync(caKeyPath) && !unusable(await readFile(caCertPath, 'utf8'), 30 * DAY_MS)) {
    ca = loadCertificateAuthority(await readFile(caCertPath, 'utf8'), await readFile(caKeyPath, 'utf8'))
  } else {
    const made = createCertificateAuthority()
    await writeAtomically(caKeyPath, made.key, 0o600)
    await writeAtomically(caCertPath, made.cert, 0o644)
    ca = made
    caIssued = true
  }
  const out: Record<string, CertificateFiles> = {}
  for (const name of names) {
    const files = devCertificatePaths(dir, name)
    const stale = caIssued || !existsSync(files.cert) || !existsSync(files.key) || unusable(await readFile(files.cert, 'utf8'), 30 * DAY_MS)
    if (stale) {
      const issued = ca.issue(name)
      await writeAtomically(files.key, issued.key, 0o600)
      await writeAtomically(files.cert, issued.cert, 0o644)
    }
    out[name] = files
  }
  return out
}
