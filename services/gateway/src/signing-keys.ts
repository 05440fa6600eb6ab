import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose'
import { ConfigError, type Db } from '@brokerage/platform'

export const SIGNING_ALG = 'ES256'

export interface SigningKeys {
  /** The key new tokens are signed with. */
  current: { kid: string; key: CryptoKey }
  /** Public keys of every stored key, as served at /.well-known/jwks.json. */
  jwks: { keys: JWK[] }
}

/**
 * The signing key given by configuration (TOKEN_SIGNING_KEY: an ES256 private key as a JWK),
 * as production requires: a key an operator generated, backs up and rotates, rather than
 * one the first gateway made up and stored beside the data.
 */
export async function configuredSigningKeys(privateJwkJson: string): Promise<SigningKeys> {
  let jwk: JWK
  try {
    jwk = JSON.parse(privateJwkJson) as JWK
  } catch {
    throw new ConfigError(['TOKEN_SIGNING_KEY: not JSON (expected an ES256 private key as a JWK)'])
  }
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.d !== 'string') {
    throw new ConfigError(['TOKEN_SIGNING_KEY: expected an ES256 private key (a JWK with kty EC, crv P-256 and d)'])
  }
  const { d: _private, ...publicJwk } = jwk
  const kid = await calculateJwkThumbprint(publicJwk)
  const key = await importJWK({ ...jwk, alg: SIGNING_ALG }, SIGNING_ALG)
  if (key instanceof Uint8Array) throw new ConfigError(['TOKEN_SIGNING_KEY: not an asymmetric key'])
  return {
    current: { kid, key },
    jwks: { keys: [{ kty: publicJwk.kty, crv: publicJwk.crv, x: publicJwk.x, y: publicJwk.y, kid, alg: SIGNING_ALG, use: 'sig' }] },
  }
}

/**
 * Loads the built-in issuer's keys from the gateway database, creating the first one if
 * there is none. Instances starting at once take an advisory lock, so exactly one key is
 * created and every instance signs with it; tokens survive restarts.
 */
export async function loadSigningKeys(db: Db): Promise<SigningKeys> {
  await db.tx(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('gateway.signing_keys'))`)
    const { rowCount } = await tx.query('SELECT 1 FROM signing_keys LIMIT 1')
    if (rowCount) return
    const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALG, { extractable: true })
    const publicJwk = await exportJWK(publicKey)
    const kid = await calculateJwkThumbprint(publicJwk)
    await tx.query('INSERT INTO signing_keys (kid, alg, private_jwk, public_jwk) VALUES ($1, $2, $3, $4)', [
      kid,
      SIGNING_ALG,
      await exportJWK(privateKey),
      { ...publicJwk, kid, alg: SIGNING_ALG, use: 'sig' },
    ])
  })
  const { rows } = await db.query<{ kid: string; alg: string; private_jwk: JWK; public_jwk: JWK }>(
    'SELECT kid, alg, private_jwk, public_jwk FROM signing_keys ORDER BY created_at DESC, kid',
  )
  const newest = rows[0]
  if (!newest) throw new Error('no signing key after creating one')
  const key = await importJWK(newest.private_jwk, newest.alg)
  if (key instanceof Uint8Array) throw new Error('signing key is not an asymmetric key')
  return { current: { kid: newest.kid, key }, jwks: { keys: rows.map((r) => r.public_jwk) } }
}
