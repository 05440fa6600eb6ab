import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { newEnvelope } from '@brokerage/contracts'
import type { FastifyRequest } from 'fastify'
import type { Db, Logger, Outbox, Queryable } from '@brokerage/platform'
import { accountIdOf, principalKey } from './request-context.js'
import { usernameHash } from './sign-in-throttle.js'
import { unauthenticated, type AuthPrincipal } from './tokens.js'

// Sign-in sessions of the built-in issuer. A session is what a refresh token renews and
// what every access token names (`sid`); ending it ends both at once. Refresh tokens rotate:
// each is good for one refresh, and presenting one that was already used ends the whole
// session, since either the client or a thief holds a copy (OAuth 2.0 Security BCP §4.14.2).
//
// Every request checks its token's session, so the check must cost no query: each gateway
// instance keeps the set of recently ended sessions in memory, filled at start and kept
// fresh by LISTEN/NOTIFY (the NOTIFY is sent in the transaction that ends the session, so it
// arrives once the end is committed). An access token outlives its session by at most its
// own lifetime, so an ended session is forgotten after that. While the listening connection
// is down the set may be stale, so checks ask the database instead until it is back.
//
// Every sign-in, refresh, ended session and password change is also a security.events event
// for the audit trail, written to the outbox in the same transaction as the session change.

const CHANNEL = 'gateway_session_ended'
type PoolClient = Parameters<Parameters<Db['tx']>[0]>[0]
const REFRESH_TOKEN_BYTES = 32

export type EndReason = 'SIGNED_OUT' | 'REFRESH_TOKEN_REUSED' | 'PASSWORD_CHANGED' | 'SUSPENDED'

export interface SessionOptions {
  db: Db
  log: Logger
  now: () => number
  /** How long an access token lives: an ended session is remembered this long (plus slack). */
  accessTtlSeconds: number
  /** A refresh token's lifetime; each refresh starts a new one. */
  refreshTtlSeconds: number
  /** A session's absolute lifetime: refreshing does not extend it past this. */
  sessionTtlSeconds: number
  /** Wait before reconnecting the listener (ms). */
  reconnectMs?: number
  /** Where the security events go (the gateway's own outbox). */
  outbox: Outbox
}

/** Where a security fact came from: the client's address, the request (its correlation id), who acted. */
export interface RequestFacts {
  address: string
  requestId: string
  /** Subject of whoever acted when it is not the account itself (staff suspending it). */
  by?: string
}

/** Where a request came from, for its security events (never its body: that holds the secrets). */
export function factsOf(req: FastifyRequest): RequestFacts {
  return { address: req.ip, requestId: req.id }
}

type Principal = SessionGrant['principal']

/** The account fields every security event carries. */
function accountOf(p: AuthPrincipal) {
  return { accountId: accountIdOf(p), role: p.role, customerId: p.customerId ?? null }
}

/** What an access token is issued for: the account, and the session that renews it. */
export interface SessionGrant {
  principal: AuthPrincipal & { username?: string }
  sessionId: string
  refreshToken: string
  refreshExpiresIn: number
}

// Slack for clocks of several instances, as the verifier's tolerance.
const SLACK_MS = 60_000

const hashOf = (token: string) => createHash('sha256').update(token).digest()

export async function startSessions(opts: SessionOptions) {
  const { db, now } = opts
  const rememberMs = opts.accessTtlSeconds * 1000 + SLACK_MS
  /** Session id → when it may be forgotten (ms since the epoch). */
  const ended = new Map<string, number>()
  // One pooled connection kept for LISTEN.
  let listener: PoolClient | null = null
  let stopped = false
  let reconnectTimer: NodeJS.Timeout | undefined

  // Told of each session this instance learns has ended (the live feed closes its sockets).
  const endedListeners = new Set<(sessionId: string) => void>()
  const remember = (id: string) => {
    const known = ended.has(id)
    ended.set(id, now() + rememberMs)
    if (!known) for (const listener of endedListeners) listener(id)
  }
  const at = () => new Date(now())
  const flow = (facts: RequestFacts) => ({ correlationId: facts.requestId, now: at })

  async function load(): Promise<void> {
    const { rows } = await db.query<{ id: string }>('SELECT id FROM sessions WHERE ended_at > $1', [new Date(now() - rememberMs)])
    for (const r of rows) remember(r.id)
  }

  async function listen(): Promise<void> {
    const c = await db.pool.connect()
    const lost = (err?: unknown) => {
      if (listener !== c) return
      listener = null
      c.release(true)
      opts.log.warn({ err }, 'session listener lost; checking sessions in the database until it is back')
      scheduleReconnect()
    }
    c.on('error', lost)
    c.on('end', () => lost())
    c.on('notification', (n) => {
      if (n.channel === CHANNEL && n.payload) remember(n.payload)
    })
    try {
      await c.query(`LISTEN ${CHANNEL}`)
    } catch (err) {
      c.release(true)
      throw err
    }
    listener = c
    // Ends committed while no one listened are read after LISTEN, so none falls between.
    await load()
  }

  function scheduleReconnect() {
    if (stopped || reconnectTimer) return
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined
      listen().catch((err: unknown) => {
        opts.log.warn({ err }, 'session listener could not reconnect')
        scheduleReconnect()
      })
    }, opts.reconnectMs ?? 1000)
    reconnectTimer.unref()
  }

  await listen()

  function prune() {
    const t = now()
    for (const [id, until] of ended) {
      if (until > t) break // insertion order is forget order (a fixed lifetime)
      ended.delete(id)
    }
  }

  async function newRefreshToken(q: Queryable, sessionId: string, sessionExpiresAt: Date): Promise<[string, number]> {
    const token = randomBytes(REFRESH_TOKEN_BYTES).toString('base64url')
    const t = now()
    const expiresAt = Math.min(t + opts.refreshTtlSeconds * 1000, sessionExpiresAt.getTime())
    await q.query('INSERT INTO refresh_tokens (token_hash, session_id, issued_at, expires_at) VALUES ($1, $2, $3, $4)', [
      hashOf(token),
      sessionId,
      new Date(t),
      new Date(expiresAt),
    ])
    return [token, Math.floor((expiresAt - t) / 1000)]
  }

  async function endWhere(
    tx: PoolClient,
    where: string,
    values: unknown[],
    reason: EndReason,
    facts: RequestFacts,
    endedBy: string | null,
  ): Promise<string[]> {
    // pg_notify inside the transaction: delivered only if, and once, it commits.
    const { rows } = await tx.query<{ id: string; principal: Principal }>(
      `WITH e AS (
         UPDATE sessions SET ended_at = $1, end_reason = $2 WHERE ${where} AND ended_at IS NULL RETURNING id, principal
       )
       SELECT id, principal, pg_notify('${CHANNEL}', id::text) FROM e`,
      [new Date(now()), reason, ...values],
    )
    // One account per call (a session, or an account's sessions): one event naming them all.
    if (rows.length) {
      await opts.outbox.add(
        tx,

        newEnvelope(
          'SessionsEnded',
          {
            ...accountOf(rows[0]!.principal),
            sessionIds: rows.map((r) => r.id),
            reason,
            endedBy,
            address: facts.address,
            endedAt: at().toISOString(),
          },
          flow(facts),
        ),
      )
    }
    return rows.map((r) => r.id)
  }

  return {
    /** A new session for a signed-in account, with its first refresh token. */
    async open(principal: Principal, facts: RequestFacts): Promise<SessionGrant> {
      const sessionId = randomUUID()
      const t = now()
      const expiresAt = new Date(t + opts.sessionTtlSeconds * 1000)
      return db.tx(async (tx) => {
        await tx.query('INSERT INTO sessions (id, account, principal, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [
          sessionId,
          principalKey(principal),
          principal,
          new Date(t),
          expiresAt,
        ])
        if (principal.username !== undefined) {
          await tx.query(
            `INSERT INTO sign_in_accounts (username_hash, principal, last_signed_in_at) VALUES ($1, $2, $3)
             ON CONFLICT (username_hash) DO UPDATE SET principal = EXCLUDED.principal, last_signed_in_at = EXCLUDED.last_signed_in_at`,
            [usernameHash(principal.username), { ...principal, username: undefined }, new Date(t)],
          )
        }
        await opts.outbox.add(
          tx,

          newEnvelope(
            'SignedIn',
            { ...accountOf(principal), sessionId, address: facts.address, signedInAt: new Date(t).toISOString() },
            flow(facts),
          ),
        )
        const [refreshToken, refreshExpiresIn] = await newRefreshToken(tx, sessionId, expiresAt)
        return { principal, sessionId, refreshToken, refreshExpiresIn }
      })
    },

    /**
     * Trades a refresh token for the next one. An unknown, expired or ended one is refused; a
     * used one ends its session (reuse detection) and is refused too.
     */
    async refresh(refreshToken: string, facts: RequestFacts): Promise<SessionGrant> {
      type Outcome = { grant: SessionGrant } | { refused: string; reused?: string }
      const outcome = await db.tx(async (tx): Promise<Outcome> => {
        // The row lock makes two refreshes with one token take turns: the second finds it used.
        const { rows } = await tx.query<{
          session_id: string
          used_at: Date | null
          expires_at: Date
          principal: SessionGrant['principal']
          ended_at: Date | null
          session_expires_at: Date
        }>(
          `SELECT r.session_id, r.used_at, r.expires_at, s.principal, s.ended_at, s.expires_at AS session_expires_at
             FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id
            WHERE r.token_hash = $1 FOR UPDATE OF r, s`,
          [hashOf(refreshToken)],
        )
        const r = rows[0]
        if (!r || r.ended_at) return { refused: 'Invalid refresh token' }
        if (r.used_at) {
          await endWhere(tx, 'id = $3', [r.session_id], 'REFRESH_TOKEN_REUSED', facts, null)
          return { refused: 'Refresh token already used: the session is ended', reused: r.session_id }
        }
        if (r.expires_at.getTime() <= now()) return { refused: 'Refresh token expired' }
        await tx.query('UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1', [hashOf(refreshToken), new Date(now())])
        const [next, refreshExpiresIn] = await newRefreshToken(tx, r.session_id, r.session_expires_at)
        await opts.outbox.add(
          tx,

          newEnvelope(
            'SessionRefreshed',
            { ...accountOf(r.principal), sessionId: r.session_id, address: facts.address, refreshedAt: at().toISOString() },
            flow(facts),
          ),
        )
        return { grant: { principal: r.principal, sessionId: r.session_id, refreshToken: next, refreshExpiresIn } }
      })
      if ('grant' in outcome) return outcome.grant
      if ('reused' in outcome && outcome.reused) {
        remember(outcome.reused)
        opts.log.warn({ sessionId: outcome.reused }, 'a used refresh token was presented again; session ended')
      }
      throw unauthenticated(outcome.refused)
    },

    /** Ends one session (sign-out). */
    async end(sessionId: string, reason: EndReason, facts: RequestFacts & { by: string }): Promise<void> {
      const ids = await db.tx((tx) => endWhere(tx, 'id = $3', [sessionId], reason, facts, facts.by))
      for (const id of ids) remember(id)
    },

    /**
     * Ends every session of an account (suspension, password change); answers how many. A
     * password change is recorded with it, in the same transaction.
     */
    async endAccount(principal: AuthPrincipal, reason: EndReason, facts: RequestFacts & { by: string }): Promise<number> {
      const ids = await db.tx(async (tx) => {
        if (reason === 'PASSWORD_CHANGED') {
          await opts.outbox.add(
            tx,

            newEnvelope('PasswordChanged', { ...accountOf(principal), address: facts.address, changedAt: at().toISOString() }, flow(facts)),
          )
        }
        return endWhere(tx, 'account = $3', [principalKey(principal)], reason, facts, facts.by)
      })
      for (const id of ids) remember(id)
      return ids.length
    },

    /**
     * Records a refused sign-in (in `tx` when given: the throttle's count of it). The account is
     * named when its username is known from an earlier sign-in; the username itself never is.
     */
    async signInFailed(
      username: string,
      reason: 'BAD_CREDENTIALS' | 'LOCKED' | 'SUSPENDED',
      facts: RequestFacts,
      tx?: Queryable,
    ): Promise<void> {
      const hash = usernameHash(username)
      const write = async (q: Queryable) => {
        const { rows } = await q.query<{ principal: AuthPrincipal }>('SELECT principal FROM sign_in_accounts WHERE username_hash = $1', [
          hash,
        ])
        const known = rows[0]?.principal
        const hex = hash.toString('hex')
        await opts.outbox.add(
          q,

          newEnvelope(
            'SignInFailed',
            {
              ...(known ? accountOf(known) : { accountId: hex, role: null, customerId: null }),
              usernameHash: hex,
              reason,
              address: facts.address,
              failedAt: at().toISOString(),
            },
            flow(facts),
          ),
        )
      }
      if (tx) await write(tx)
      else await db.tx(write)
    },

    /** Calls `listener` once for each session that ends from now on, here or on another instance. */
    onEnded(listener: (sessionId: string) => void): void {
      endedListeners.add(listener)
    },

    /** Refuses a token whose session has ended (on any instance). */
    async check(sessionId: string): Promise<void> {
      prune()
      if (ended.has(sessionId)) throw unauthenticated('Session ended')
      if (listener) return
      const { rows } = await db.query<{ ended: boolean }>('SELECT ended_at IS NOT NULL AS ended FROM sessions WHERE id = $1', [sessionId])
      if (!rows[0] || rows[0].ended) throw unauthenticated('Session ended')
    },

    /** Sessions and refresh tokens past their lifetime: nothing can use them any more. */
    async purgeExpired(): Promise<void> {
      await db.query('DELETE FROM sessions WHERE expires_at < $1', [new Date(now() - rememberMs)])
    },

    async stop(): Promise<void> {
      stopped = true
      clearTimeout(reconnectTimer)
      const c = listener
      listener = null
      c?.release(true)
    },
  }
}

export type Sessions = Awaited<ReturnType<typeof startSessions>>
