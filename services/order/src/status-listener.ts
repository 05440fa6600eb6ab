import { createDb, type HandlerContext, type Logger } from '@brokerage/platform'
import { STATUS_CHANNEL } from './store.js'

// Wakes CreateOrder calls that wait (wait_ms) for their order to leave PENDING. Every
// transaction that changes a status sends a NOTIFY with the order id on this service's own
// database; one LISTEN connection per instance fans it out, so a waiter answers within
// milliseconds of the commit, whichever instance made it, and nothing polls.

export interface Subscription {
  /** Resolves at the next change of the order (or a reconnect), or after ms; false once the listener is closed. */
  next(ms: number): Promise<boolean>
  close(): void
}

export async function startStatusListener(opts: { url: string; log: Logger; reconnectMs?: number }) {
  const reconnectMs = opts.reconnectMs ?? 500
  const waiters = new Map<string, Set<() => void>>()
  // Its own one-connection pool: the LISTEN session is held for the service's lifetime.
  const listenDb = createDb({ url: opts.url, max: 1, applicationName: 'order-status-listener' })
  let client: HandlerContext['tx'] | null = null
  let closed = false
  let retry: NodeJS.Timeout | undefined

  const wake = (orderId: string) => waiters.get(orderId)?.forEach((fn) => fn())
  // Notifications sent while disconnected are lost: every waiter re-reads its order instead.
  const wakeAll = () => waiters.forEach((set) => set.forEach((fn) => fn()))

  async function connect(): Promise<void> {
    const c = await listenDb.pool.connect()
    c.on('notification', (n) => {
      if (n.channel === STATUS_CHANNEL && n.payload) wake(n.payload)
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
    wakeAll()
  }

  function lost() {
    const c = client
    client = null
    c?.release(true)
    wakeAll()
    if (closed) return
    retry = setTimeout(() => {
      connect().catch((err: unknown) => {
        opts.log.warn({ err }, 'order status listener could not reconnect')
        lost()
      })
    }, reconnectMs)
  }

  await connect()

  return {
    subscribe(orderId: string): Subscription {
      let signalled = false
      let resolveNext: (() => void) | null = null
      const fn = () => {
        if (resolveNext) resolveNext()
        else signalled = true
      }
      const set = waiters.get(orderId) ?? new Set()
      set.add(fn)
      waiters.set(orderId, set)
      return {
        next(ms) {
          return new Promise<boolean>((resolve) => {
            if (signalled || closed) {
              signalled = false
              return resolve(!closed)
            }
            const timer = setTimeout(done, ms)
            function done() {
              clearTimeout(timer)
              resolveNext = null
              resolve(!closed)
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
      wakeAll()
      client?.release(true)
      client = null
      await listenDb.close()
    },
  }
}

export type StatusListener = Awaited<ReturnType<typeof startStatusListener>>

/**
 * Reads the order until it has left PENDING or `waitMs` has passed. Subscribes before the
 * first read, so a change committed between the read and the wait still wakes it.
 */
export async function waitWhilePending<T extends { status: string }>(
  listener: StatusListener,
  orderId: string,
  waitMs: number,
  read: () => Promise<T>,
  clock: () => number = Date.now,
): Promise<T> {
  const sub = listener.subscribe(orderId)
  try {
    const deadline = clock() + waitMs
    let order = await read()
    for (let left = deadline - clock(); order.status === 'PENDING' && left > 0; left = deadline - clock()) {
      if (!(await sub.next(left))) break
      order = await read()
    }
    return order
  } finally {
    sub.close()
  }
}
