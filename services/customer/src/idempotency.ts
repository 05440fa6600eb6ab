import { createHash } from 'node:crypto'
import { AppError, type Db, type Queryable } from '@brokerage/platform'
import type { Passwords } from './passwords.js'

// Idempotency keys of the creating requests. A key belongs to (operation, actor): the
// same key sent again with the same request answers the resource the first one made; with
// a different request it is refused. The key is claimed in the creating transaction, so
// two concurrent requests with one key make one resource.

export interface IdempotentRequest {
  operation: string
  actor: string
  key: string
  /** The normalised request without secrets. */
  fingerprint: string
  /** A password in the request: compared against its stored scrypt hash, never fingerprinted. */
  secret?: string
}

/** A stable digest of the request's meaningful fields (normalised values, fixed key order). */
export function fingerprintOf(fields: Record<string, string | number | null>): string {
  const canonical = JSON.stringify(
    Object.keys(fields)
      .sort()
      .map((k) => [k, fields[k]]),
  )
  return createHash('sha256').update(canonical).digest('hex')
}

class KeyTaken extends Error {}

export function createIdempotency(deps: { db: Db; passwords: Passwords; now: () => Date }) {
  const { db, passwords } = deps

  /** The earlier answer for this key, or undefined when the key is new. */
  async function replay<T>(req: IdempotentRequest, load: (id: string) => Promise<T>): Promise<T | undefined> {
    const { rows } = await db.query<{ fingerprint: string; secret_hash: string | null; resource_id: string }>(
      'SELECT fingerprint, secret_hash, resource_id FROM idempotency_keys WHERE operation = $1 AND actor = $2 AND key = $3',
      [req.operation, req.actor, req.key],
    )
    const row = rows[0]
    if (!row) return undefined
    const sameSecret = req.secret === undefined || (row.secret_hash !== null && (await passwords.verify(req.secret, row.secret_hash)))
    if (row.fingerprint !== req.fingerprint || !sameSecret) {
      throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was used with a different request')
    }
    return load(row.resource_id)
  }

  return {
    replay: <T>(req: IdempotentRequest | null, load: (id: string) => Promise<T>) => (req ? replay(req, load) : Promise.resolve(undefined)),

    /**
     * Runs `create` in a transaction that first claims the key for `resourceId`; when a
     * concurrent request claimed it first, answers what that one made instead.
     */
    async run<T>(
      req: IdempotentRequest | null,
      claim: { resourceId: string; secretHash?: string },
      load: (id: string) => Promise<T>,
      create: (tx: Queryable) => Promise<T>,
    ): Promise<T> {
      if (!req) return db.tx(create)
      try {
        return await db.tx(async (tx) => {
          const { rowCount } = await tx.query(
            `INSERT INTO idempotency_keys (operation, actor, key, fingerprint, secret_hash, resource_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
            [req.operation, req.actor, req.key, req.fingerprint, claim.secretHash ?? null, claim.resourceId, deps.now()],
          )
          if (!rowCount) throw new KeyTaken()
          return create(tx)
        })
      } catch (err) {
        if (!(err instanceof KeyTaken)) throw err
        const earlier = await replay(req, load)
        if (earlier === undefined) throw new AppError('INTERNAL', 'idempotency key vanished', { cause: err })
        return earlier
      }
    },
  }
}

export type Idempotency = ReturnType<typeof createIdempotency>
