import type { Logger } from './observability/log.js'

// A saga step that never answers must not leave its work pending for ever (SPEC §4): a
// sweeper expires what has waited longer than the timeout, in bounded batches. `expire`
// locks the rows it takes with FOR UPDATE SKIP LOCKED, so any number of instances may sweep
// at once without taking the same row twice.

export interface SweeperOptions {
  /** Expires up to `limit` items that started at or before `cutoff`; returns how many it took. */
  expire: (cutoff: Date, limit: number) => Promise<number>
  now: () => Date
  timeoutMs: number
  /** 0: no timer; the caller runs sweep() itself (tests). */
  intervalMs: number
  batchSize?: number
  log: Logger
  /** What the log says after a sweep that expired something, e.g. 'rejected orders whose reservation timed out'. */
  what: string
}

export function createSweeper(opts: SweeperOptions) {
  const batchSize = opts.batchSize ?? 100
  let timer: NodeJS.Timeout | undefined
  let running: Promise<unknown> = Promise.resolve()
  let stopped = false

  /** Expires everything older than the timeout; returns how many. */
  async function sweep(): Promise<number> {
    const cutoff = new Date(opts.now().getTime() - opts.timeoutMs)
    let total = 0
    for (;;) {
      const n = await opts.expire(cutoff, batchSize)
      total += n
      if (n < batchSize || stopped) return total
    }
  }

  function schedule() {
    if (stopped || opts.intervalMs <= 0) return
    timer = setTimeout(() => {
      running = sweep()
        .then((n) => n && opts.log.warn({ expired: n }, opts.what))
        .catch((err: unknown) => opts.log.error({ err }, `sweep failed (${opts.what}); retrying`))
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
