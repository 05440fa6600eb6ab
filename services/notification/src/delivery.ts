import { backoffMs, type Db, type Logger, type RetryPolicy } from '@brokerage/platform'
import { isPermanentDelivery, type ChannelSender } from './channels/port.js'
import type { Channel, ClaimedDelivery, Outcome, Store } from './store.js'

// Sends PENDING deliveries after their commit. Each channel has its own loop and its own
// slots, and each send holds only its own slot: a dead SMTP server fills the email slots
// with attempts that time out, while SMS and push go on, and the event stream never waits
// for any of them (it only records). Failures are retried with exponential backoff and
// full jitter (the platform's backoffMs) up to `attempts`, then FAILED with the last error.
//
// A delivery is claimed (attempt counted, next try a lease away) before it is sent and
// recorded after: a process that dies between the send and the record sends it again once
// the lease is over. That is the one window for a repeat; a redelivered event records nothing.

export interface SenderOptions {
  db: Db
  store: Store
  channels: Partial<Record<Channel, ChannelSender>>
  retry: RetryPolicy
  /** Sends in flight per channel. */
  concurrency: number
  /** How long a claimed delivery is held; above any channel's own timeout. */
  leaseMs: number
  /** How often due retries are looked for (0: only when woken; tests call kick()). */
  pollMs: number
  log: Logger
  now: () => Date
  onOutcome?: (channel: Channel, outcome: Outcome, delivery: ClaimedDelivery) => void
}

export function createSender(opts: SenderOptions) {
  const loops = new Map(
    (Object.entries(opts.channels) as Array<[Channel, ChannelSender]>).map(([channel, sender]) => [channel, channelLoop(channel, sender)]),
  )
  let timer: NodeJS.Timeout | undefined
  let stopped = false

  function channelLoop(channel: Channel, sender: ChannelSender) {
    const inFlight = new Set<Promise<void>>()
    let filling = false
    let again = false

    async function sendOne(d: ClaimedDelivery) {
      let outcome: Outcome
      try {
        await sender.send(d)
        outcome = { id: d.id, kind: 'sent', at: opts.now() }
      } catch (err) {
        const error = (err instanceof Error ? err.message : String(err)).slice(0, 1000)
        const at = opts.now()
        outcome =
          isPermanentDelivery(err) || d.attempts >= opts.retry.attempts
            ? { id: d.id, kind: 'failed', at, error }
            : { id: d.id, kind: 'retry', at, error, nextAttemptAt: new Date(at.getTime() + backoffMs(opts.retry, d.attempts)) }
        opts.log.warn({ deliveryId: d.id, channel, attempts: d.attempts, err, outcome: outcome.kind }, 'delivery attempt failed')
      }
      // If the record fails the lease runs out and the delivery is tried again: a repeat, never a loss.
      await opts.store.record(opts.db, outcome)
      opts.onOutcome?.(channel, outcome, d)
    }

    /** Claims as many due deliveries as there are free slots; true if it filled them all (more may be due). */
    async function fillOnce(): Promise<boolean> {
      const free = opts.concurrency - inFlight.size
      if (free <= 0 || stopped) return false
      const claimed = await opts.store.claim(opts.db, channel, opts.now(), free, opts.leaseMs)
      for (const d of claimed) {
        const p = sendOne(d)
          .catch((err: unknown) => opts.log.error({ err, deliveryId: d.id, channel }, 'recording a delivery failed'))
          .finally(() => {
            inFlight.delete(p)
            kick()
          })
        inFlight.add(p)
      }
      return claimed.length === free
    }

    function kick() {
      if (stopped) return
      if (filling) {
        again = true
        return
      }
      filling = true
      void (async () => {
        try {
          while (await fillOnce());
        } catch (err) {
          opts.log.error({ err, channel }, 'claiming deliveries failed; the next poll tries again')
        } finally {
          filling = false
          if (again) {
            again = false
            kick()
          }
        }
      })()
    }

    return { kick, idle: () => Promise.all(inFlight) }
  }

  function poll() {
    if (stopped || opts.pollMs <= 0) return
    timer = setTimeout(() => {
      for (const loop of loops.values()) loop.kick()
      poll()
    }, opts.pollMs)
  }

  return {
    start() {
      for (const loop of loops.values()) loop.kick()
      poll()
    },
    /** Wakes the loops of these channels (after a commit that made deliveries due). */
    wake(channels: Iterable<Channel>) {
      for (const c of channels) loops.get(c)?.kick()
    },
    async stop() {
      stopped = true
      clearTimeout(timer)
      await Promise.all([...loops.values()].map((l) => l.idle()))
    },
  }
}

export type Sender = ReturnType<typeof createSender>
