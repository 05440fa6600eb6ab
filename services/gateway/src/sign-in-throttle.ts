import { createHash } from 'node:crypto'
import { AppError, type Db, type Queryable } from '@brokerage/platform'

// Per-account sign-in throttling, on top of the per-address rate limit: one account guessed
// from many addresses is slowed down all the same. The count lives in the gateway database,
// so every instance sees the same one. It is kept by the username as typed, whether or not
// such an account exists, so a locked unknown account answers exactly like a locked known
// one (and the check runs before the password is, so the timing is the same too).

export interface ThrottleOptions {
  db: Db
  now: () => number
  /** Failures in a row allowed before the account is locked. */
  freeFailures?: number
  /** The first lock's length; each further failure doubles it. */
  baseLockSeconds?: number
  maxLockSeconds?: number
  /** Failures older than this are forgotten (a fresh count starts). */
  forgetAfterSeconds?: number
}

export const THROTTLE_DEFAULTS = { freeFailures: 5, baseLockSeconds: 2, maxLockSeconds: 15 * 60, forgetAfterSeconds: 24 * 60 * 60 }

/** The one key of a username as typed: the throttle's count, and the security events' usernameHash. */
export const usernameHash = (username: string) => createHash('sha256').update(username.trim().toLowerCase()).digest()
const keyOf = usernameHash

export function createSignInThrottle(opts: ThrottleOptions) {
  const o = { ...THROTTLE_DEFAULTS, ...opts }
  return {
    /** Refuses with 429 and Retry-After while the account is locked. */
    async check(username: string): Promise<void> {
      const { rows } = await o.db.query<{ locked_until: Date | null }>(
        'SELECT locked_until FROM sign_in_failures WHERE username_hash = $1',
        [keyOf(username)],
      )
      const until = rows[0]?.locked_until?.getTime()
      if (until !== undefined && until > o.now()) {
        throw new AppError('RATE_LIMITED', 'Too many failed sign-ins for this account; try again later', {
          retryAfterSeconds: Math.ceil((until - o.now()) / 1000),
        })
      }
    },

    /**
     * Counts a failure; from the free ones on, each locks the account twice as long as the last.
     * `record` runs in the same transaction (the failure's audit event).
     */
    async failed(username: string, record?: (tx: Queryable) => Promise<void>): Promise<void> {
      const t = new Date(o.now())
      const forgotten = new Date(o.now() - o.forgetAfterSeconds * 1000)
      await o.db.tx(async (tx) => {
        await tx.query(
          `INSERT INTO sign_in_failures AS f (username_hash, failures, locked_until, last_failed_at)
         VALUES ($1, 1, NULL, $2)
         ON CONFLICT (username_hash) DO UPDATE
            SET failures = CASE WHEN f.last_failed_at < $3 THEN 1 ELSE f.failures + 1 END,
                last_failed_at = $2`,
          [keyOf(username), t, forgotten],
        )
        // The lock follows from the count just written; a second statement keeps the doubling readable.
        await tx.query(
          `UPDATE sign_in_failures
            SET locked_until = CASE WHEN failures >= $2
                  THEN $3::timestamptz + make_interval(secs => least($4::float8 * power(2, failures - $2), $5::float8))
                  ELSE NULL END
          WHERE username_hash = $1`,
          [keyOf(username), o.freeFailures, t, o.baseLockSeconds, o.maxLockSeconds],
        )
        await record?.(tx)
      })
    },

    /** A successful sign-in starts the count afresh. */
    async succeeded(username: string): Promise<void> {
      await o.db.query('DELETE FROM sign_in_failures WHERE username_hash = $1', [keyOf(username)])
    },

    async purgeExpired(): Promise<void> {
      await o.db.query('DELETE FROM sign_in_failures WHERE last_failed_at < $1', [new Date(o.now() - o.forgetAfterSeconds * 1000)])
    },
  }
}

export type SignInThrottle = ReturnType<typeof createSignInThrottle>
