import type { Logger } from '@brokerage/platform'
import type { Orders } from './orders.js'

// A reservation that never answers must not hold an order PENDING forever (SPEC §4): past
// the timeout the order is REJECTED (RESERVATION_TIMEOUT) and OrderRejected tells the asset
// service to release whatever it may still hold. A cancel the engine has not answered within
// the same timeout (OrderCancelRequested or OrderRemovedFromBook lost) must not leave the
// order with a cancel in flight for ever either: the request is sent again. Batches are
// bounded and rows another instance is sweeping are skipped (FOR UPDATE SKIP LOCKED), so any
// number of instances may run it at once.

export interface SweeperOptions {
  orders: Orders
  now: () => Date
  timeoutMs: number
  /** 0: no timer; the caller runs sweep() itself (tests). */
  intervalMs: number
  batchSize?: number
  log: Logger
}

export function createReservationSweeper(opts: SweeperOptions) {
  const batchSize = opts.batchSize ?? 100
  let timer: NodeJS.Timeout | undefined
  let running: Promise<unknown> = Promise.resolve()
  let stopped = false

  /** Rejects every PENDING order older than the timeout and asks again for every cancel unanswered as long; returns how many. */
  async function sweep(): Promise<number> {
    const cutoff = new Date(opts.now().getTime() - opts.timeoutMs)
    return (
      (await drain((limit) => opts.orders.expireReservations(cutoff, limit))) +
      (await drain((limit) => opts.orders.resendCancels(cutoff, limit)))
    )
  }

  async function drain(batch: (limit: number) => Promise<number>): Promise<number> {
    let total = 0
    for (;;) {
      const n = await batch(batchSize)
      total += n
      if (n < batchSize || stopped) return total
    }
  }

  function schedule() {
    if (stopped || opts.intervalMs <= 0) return
    timer = setTimeout(() => {
      running = sweep()
        .then((n) => n && opts.log.info({ swept: n }, 'rejected orders whose reservation timed out, or asked again for unanswered cancels'))
        .catch((err: unknown) => opts.log.error({ err }, 'reservation sweep failed; retrying'))
        .finally(schedule)
    }, opts.intervalMs)
  }

  return {
    sweep,
    start: schedule,
    async stop() {
      stopped = true
      clearTimeout(timer)
      await running
    },
  }
}
