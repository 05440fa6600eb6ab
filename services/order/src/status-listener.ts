import { randomUUID } from 'node:crypto'
import { createDb, type Db, type HandlerContext, type Logger, type Queryable } from '@brokerage/platform'
import type { OrderStatus } from './domain.js'
import type { OrderRow } from './store.js'

// Wakes CreateOrder calls that wait (wait_ms) for their order to leave PENDING, with the
// order's new status in the wake-up, so a woken call answers without reading the order.
// A change made by this instance wakes its own waiters directly when the transaction
// commits; other instances hear of it through a NOTIFY on this service's database, one per
// transaction (changes committed while one is in flight go together in the next), which
// one LISTEN connection per instance fans out. Nothing polls.

export const STATUS_CHANNEL = 'order_status'

/** What a waiter needs of an order's new state to answer without reading it. */
export interface StatusChange {
  orderId: string
  status: OrderStatus
  rejectionReason: string | null
  updatedAt: Date
}

export type Wake =
  | { kind: 'changed'; change: StatusChange }
  /** Wake-ups may have been lost meanwhile (the listener reconnected): read the order. */
  | { kind: 'unknown' }
  | { kind: 'timeout' }
  | { kind: 'closed' }

export interface Subscription {
  /** The next wake-up of this order, or timeout after ms. */
  next(ms: number): Promise<Wake>
  close(): void
}

export interface StatusWakeUp {
  /** Status changes written in `tx`: their waiters, here and in other instances, are woken once it commits. */
  changed(tx: Queryable, rows: ReadonlyArray<Pick<OrderRow, 'id' | 'status' | 'rejectionReason' | 'updatedAt'>>): void
}

// PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; every character here is ASCII.
const MAX_PAYLOAD = 7900

/**
 * `instance|id:STATUS:updatedAtMs:reason,…`, split into as few payloads as fit; the
 * instance lets the sender skip its own (it has woken its waiters already).
 */
export function encodeChanges(instance: string, changes: StatusChange[]): string[] {
  const payloads: string[] = []
  let current = ''
  for (const c of changes) {
    const entry = `${c.orderId}:${c.status}:${c.updatedAt.getTime()}:${c.rejectionReason ?? ''}`
    if (current && current.length + 1 + entry.length > MAX_PAYLOAD) {
      payloads.push(current)
      current = ''
    }
    current = current ? `${current},${entry}` : `${instance}|${entry}`
  }
  if (current) payloads.push(current)
  return payloads
}

export function decodeChanges(payload: string): { instance: string; changes: StatusChange[] } | null {
  const bar = payload.indexOf('|')
  if (bar < 0) return null
  const changes: StatusChange[] = []
  for (const entry of payload.slice(bar + 1).split(',')) {
    const [orderId, status, ms, reason] = entry.split(':')
    const updatedAt = new Date(Number(ms))
    if (!orderId || !status || reason === undefined || Number.isNaN(updatedAt.getTime())) return null
    changes.push({ orderId, status: status as OrderStatus, rejectionReason: reason || null, updatedAt })
  }
  return { instance: payload.slice(0, bar), changes }
}

/** `db` is the service's own: the one whose transactions report changes, and the one the NOTIFYs go out on. */
export async function startStatusListener(opts: { url: string; db: Db; log: Logger; reconnectMs?: number }) {
  const reconnectMs = opts.reconnectMs ?? 500
  const instance = randomUUID()
  const waiters = new Map<string, Set<(wake: Wake) => void>>()
  // Its own one-connection pool: the LISTEN session is held for the service's lifetime.
  const listenDb = createDb({ url: opts.url, max: 1, applicationName: 'order-status-listener' })
  let client: HandlerContext['tx'] | null = null
  let closed = false
  let retry: NodeJS.Timeout | undefined

  const wake = (change: StatusChange) => waiters.get(change.orderId)?.forEach((fn) => fn({ kind: 'changed', change }))
  const wakeAll = (w: Wake) => waiters.forEach((set) => set.forEach((fn) => fn(w)))

  async function connect(): Promise<void> {
    const c = await listenDb.pool.connect()
    c.on('notification', (n) => {
      if (n.channel !== STATUS_CHANNEL || !n.payload) return
      const message = decodeChanges(n.payload)
      if (!message) opts.log.warn({ payload: n.payload }, 'unreadable order status wake-up ignored')
      else if (message.instance !== instance) message.changes.forEach(wake)
    })
    c.on('error', (err) => {
      opts.log.warn({ err }, 'order status listener lost its connection; reconnecting')
      if (client === c) lost()
    })
    try {
      await c.query(`LISTEN ${STATUS_CHANNEL}`)
    } catch (err) {
      c.release(err as Error)
      throw err
    }
    if (closed) {
      c.release(true)
      return
    }
    client = c
    // Notifications sent while disconnected are lost: every waiter reads its order instead.
    wakeAll({ kind: 'unknown' })
  }

  function lost() {
    const c = client
    client = null
    c?.release(true)
    wakeAll({ kind: 'unknown' })
    if (closed) return
    retry = setTimeout(() => {
      connect().catch((err: unknown) => {
        opts.log.warn({ err }, 'order status listener could not reconnect')
        lost()
      })
    }, reconnectMs)
  }

  // Changes committed since the last NOTIFY went out; sent together, one statement at a time.
  let unsent: StatusChange[] = []
  let flushQueued = false
  let sending: Promise<void> | undefined

  function flush() {
    flushQueued = false
    if (sending || closed || !unsent.length) return
    const changes = unsent
    unsent = []
    // Outside any business transaction: a NOTIFY inside one holds a global lock through its commit and serializes them.
    // A wake-up lost here only makes a waiter in another instance answer at its deadline, with the right status.
    sending = opts.db
      .query('SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload', [STATUS_CHANNEL, encodeChanges(instance, changes)])
      .then(
        () => {},
        (err: unknown) => opts.log.warn({ err, orders: changes.length }, 'order status wake-up not sent'),
      )
      .finally(() => {
        sending = undefined
        flush()
      })
  }

  function publish(changes: StatusChange[]) {
    changes.forEach(wake)
    unsent.push(...changes)
    // After this turn: the hooks of one commit all run before it, so they share one NOTIFY.
    if (!flushQueued) {
      flushQueued = true
      queueMicrotask(flush)
    }
  }

  await connect()

  return {
    changed(tx: Queryable, rows: Parameters<StatusWakeUp['changed']>[1]) {
      if (!rows.length) return
      const changes = rows.map((r) => ({ orderId: r.id, status: r.status, rejectionReason: r.rejectionReason, updatedAt: r.updatedAt }))
      opts.db.afterCommit(tx, () => publish(changes))
    },

    subscribe(orderId: string): Subscription {
      let pending: Wake | null = null
      let resolveNext: ((wake: Wake) => void) | null = null
      // The newest wake-up wins: it is never older than one it replaces.
      const fn = (w: Wake) => {
        if (resolveNext) resolveNext(w)
        else pending = w
      }
      const set = waiters.get(orderId) ?? new Set()
      set.add(fn)
      waiters.set(orderId, set)
      return {
        next(ms) {
          return new Promise<Wake>((resolve) => {
            if (closed) return resolve({ kind: 'closed' })
            if (pending) {
              const w = pending
              pending = null
              return resolve(w)
            }
            const timer = setTimeout(() => done({ kind: 'timeout' }), ms)
            function done(w: Wake) {
              clearTimeout(timer)
              resolveNext = null
              resolve(w)
            }
            resolveNext = done
          })
        },
        close() {
          set.delete(fn)
          if (!set.size) waiters.delete(orderId)
        },
      }
    },

    /** Releases every waiter (they answer with the status they have) and closes the connection. */
    async close() {
      closed = true
      clearTimeout(retry)
      wakeAll({ kind: 'closed' })
      await sending
      client?.release(true)
      client = null
      await listenDb.close()
    },
  }
}

export type StatusListener = Awaited<ReturnType<typeof startStatusListener>>

/**
 * Waits until the order has left PENDING or `waitMs` has passed, answering from the status
 * each wake-up carries. Subscribes before it reads, so no change is missed between the two:
 * `known` skips that read when the caller has just written the order itself and nothing else
 * can have changed it yet. Reads the order once more only at the deadline or after a
 * reconnect, when a wake-up may have been lost.
 */
export async function waitWhilePending(
  listener: Pick<StatusListener, 'subscribe'>,
  orderId: string,
  waitMs: number,
  read: () => Promise<OrderRow>,
  known?: OrderRow,
  clock: () => number = Date.now,
): Promise<OrderRow> {
  const sub = listener.subscribe(orderId)
  try {
    const deadline = clock() + waitMs
    let order = known ?? (await read())
    while (order.status === 'PENDING') {
      const wake = await sub.next(Math.max(0, deadline - clock()))
      if (wake.kind === 'closed') break
      if (wake.kind === 'changed') {
        const { status, rejectionReason, updatedAt } = wake.change
        order = { ...order, status, rejectionReason, updatedAt }
        continue
      }
      order = await read()
      if (wake.kind === 'timeout') break
    }
    return order
  } finally {
    sub.close()
  }
}
