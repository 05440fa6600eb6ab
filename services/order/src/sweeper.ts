import type { Logger } from '@brokerage/platform'
import type { Orders } from './orders.js'

// A reservation that never answers must not hold an order PENDING forever (SPEC §4): past
// the timeout the order is REJECTED (RESERVATION_TIMEOUT) and OrderRejected tells the asset
// service to release whatever it may still hold. Batches are bounded and rows another
// instance is sweeping are skipped (FOR UPDATE SKIP LOCKED), so any number of instances
// may run it at once.

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

  /** Rejects every PENDING order older than the timeout; returns how many. */
  async function sweep(): Promise<number> {
    const cutoff = new Date(opts.now().getTime() - opts.timeoutMs)
    let total = 0
    for (;;) {
      const n = await opts.orders.expireReservations(cutoff, batchSize)
      total += n
      if (n < batchSize || stopped) return total
    }
  }

  function schedule() {
    if (stopped || opts.intervalMs <= 0) return
    timer = setTimeout(() => {
      running = sweep()
        .then((n) => n && opts.log.info({ rejected: n }, 'rejected orders whose reservation timed out'))
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
