import type { Logger } from '@brokerage/platform'
import type { SettlementSaga } from './saga.js'

// A settlement step that never answers must not leave a trade pending for ever (SPEC §4):
// past the timeout its legs fail (SETTLEMENT_TIMEOUT), and OrderFailed makes the asset service
// release what is still held. Batches are bounded and rows another instance is sweeping are
// skipped, so any number of processor instances may run it at once.

export interface SettlementSweeperOptions {
  saga: SettlementSaga
  now: () => Date
  timeoutMs: number
  /** 0: no timer; the caller runs sweep() itself (tests). */
  intervalMs: number
  batchSize?: number
  log: Logger
}

export function createSettlementSweeper(opts: SettlementSweeperOptions) {
  const batchSize = opts.batchSize ?? 100
  let timer: NodeJS.Timeout | undefined
  let running: Promise<unknown> = Promise.resolve()
  let stopped = false

  /** Fails every trade pending longer than the timeout; returns how many legs it looked at. */
  async function sweep(): Promise<number> {
    const cutoff = new Date(opts.now().getTime() - opts.timeoutMs)
    let total = 0
    for (;;) {
      const n = await opts.saga.expire(cutoff, batchSize)
      total += n
      if (n < batchSize || stopped) return total
    }
  }

  function schedule() {
    if (stopped || opts.intervalMs <= 0) return
    timer = setTimeout(() => {
      running = sweep()
        .then((n) => n && opts.log.warn({ legs: n }, 'failed trades whose settlement timed out'))
        .catch((err: unknown) => opts.log.error({ err }, 'settlement sweep failed; retrying'))
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
