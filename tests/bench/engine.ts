// npm run bench:engine — the matching engine alone, on one book, beside a naive baseline (the
// immutable sorted-array book the processor had before, extended the same naive way with the
// same crossing, self-trade and match rules) run on the same input in the same run.
//   RUNS (3), ORDERS (300000) commands per run, SEED (1), LIFETIME (16000): an order still
//   resting is cancelled within LIFETIME commands of its arrival; REPEAT (5) throughput passes.
// Input: a seeded stream with crossing on: new limit orders 1–20 ticks behind a drifting mid
// (most rest), crossing orders through the touch by up to 3 ticks that take one or several
// orders, the cancel of every order (answered remainingSize 0 when it was filled meanwhile, what an earlier cancel took off when repeated), and
// a few match commands; about 1,700 orders rest on average. Every command counts as one order.
// Each run: the engine on REPEAT fresh books with nothing but apply() on the clocks (orders/s),
// then the engine and the baseline with every command timed (p50/p99/p99.9 per operation) and a
// digest of their events compared, so both are known to have done the same work.
// orders/s is per second of this process's CPU time (GC threads included): on this shared
// machine wall-clock rates mostly measure the neighbours; both are printed.
// Last line: engine_orders_per_s=N baseline_orders_per_s=M ratio=R (medians over the runs).
import type { EventData } from '@brokerage/contracts'
import { seededRandom as prng } from '@brokerage/platform/testing'
import { emptyBook, type Book } from '../../services/order-processor/src/engine/book.js'
import { apply, type EngineCommand, type EngineEvent } from '../../services/order-processor/src/engine/engine.js'
import { fmt, percentile, summary } from './harness.js'

const RUNS = Number(process.env.RUNS ?? 3)
const ORDERS = Number(process.env.ORDERS ?? 300_000)
const SEED = Number(process.env.SEED ?? 1)
const REPEAT = Number(process.env.REPEAT ?? 5)
const LIFETIME = Number(process.env.LIFETIME ?? 16000)
const ASSET = 'BENCH'
const AT = '2026-01-01T10:00:00.000Z'

// ---------------------------------------------------------------------------------------------
// Input

const uuid = (prefix: number, n: number) => `${prefix.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`

/**
 * The commands, and after which command the caller may forget a closed order: every order is
 * cancelled (if still there) within about LIFETIME commands of its placement and needs no closed
 * row after that, so a caller's cache of closed orders stays bounded, as the processor's would.
 */
function input(seed: number, n: number) {
  const random = prng(seed)
  const customers = Array.from({ length: 2000 }, (_, i) => uuid(0xc0, i))
  const tiers = ['STANDARD', 'STANDARD', 'STANDARD', 'PREMIUM', 'VIP'] as const
  const commands: EngineCommand[] = [
    { type: 'MarketSettingsChanged', data: { assetName: ASSET, crossing: true, changedBy: 'admin', changedAt: AT } },
  ]
  const forget: Array<string[] | undefined> = []
  // Cancels due, by command index.
  const due: Array<Array<{ orderId: string; customerId: string }> | undefined> = []
  const recent: Array<{ orderId: string; customerId: string }> = []
  const times = new Map<number, string>()
  let clock = Date.parse('2026-01-01T09:00:00.000Z')
  let mid = 100_000
  let uid = 0
  const order = (side: 'BUY' | 'SELL', price: number, size: number): EngineCommand => {
    if (random() < 0.1) clock++
    // A few arrive after orders placed later than them.
    const t = random() < 0.005 ? clock - 1 - Math.floor(random() * 3) : clock
    let createdAt = times.get(t)
    if (!createdAt) times.set(t, (createdAt = new Date(t).toISOString()))
    const data = {
      orderId: uuid(0x0d, uid++),
      customerId: customers[Math.floor(random() * customers.length)]!,
      assetName: ASSET,
      side,
      size,
      price,
      tier: tiers[Math.floor(random() * tiers.length)]!,
      createdAt,
      confirmedAt: AT,
    }
    const ref = { orderId: data.orderId, customerId: data.customerId }
    ;(due[commands.length + 1 + Math.floor(random() * LIFETIME)] ??= []).push(ref)
    recent.push(ref)
    if (recent.length > 500) recent.shift()
    return { type: 'OrderConfirmed', data }
  }
  while (commands.length < n) {
    const cancels = due[commands.length]
    if (cancels?.length) {
      const o = cancels.pop()!
      // Not yet due ones move on by one command, so every command index holds one command.
      if (cancels.length) (due[commands.length + 1] ??= []).push(...cancels)
      due[commands.length] = undefined
      // Its last command (a match coming later finds it unknown, which also does nothing).
      forget[commands.length] = [o.orderId]
      commands.push({ type: 'OrderCancelRequested', data: { ...o, assetName: ASSET, reason: 'REQUESTED', requestedAt: AT } })
      continue
    }
    if (random() < 0.05) mid += random() < 0.5 ? -1 : 1
    const r = random()
    if (r < 0.03 && recent.length) {
      const o = recent[Math.floor(random() * recent.length)]!
      commands.push({ type: 'MatchRequested', data: { ...o, assetName: ASSET, requestedBy: 'broker', requestedAt: AT } })
    } else if (r < 0.2) {
      // Crossing: through the touch by up to 3 ticks, large enough to take a few orders.
      const side = random() < 0.5 ? 'BUY' : 'SELL'
      const k = Math.floor(random() * 4)
      commands.push(order(side, side === 'BUY' ? mid + 1 + k : mid - 1 - k, 20 + Math.floor(random() * 200)))
    } else {
      // Near the touch: 1–20 ticks behind the mid, most within a few.
      const side = random() < 0.5 ? 'BUY' : 'SELL'
      const k = 1 + Math.floor(random() * random() * 20)
      commands.push(order(side, side === 'BUY' ? mid - k : mid + k, 1 + Math.floor(random() * 100)))
    }
  }
  return { commands, forget }
}

// ---------------------------------------------------------------------------------------------
// Baseline: the processor's book before this engine (immutable sorted arrays: every change copies
// a side, a comparator that parses the timestamps), with crossing and the match command added
// the same naive way, and the same rules as the engine.

interface NaiveOrder {
  orderId: string
  customerId: string
  side: 'BUY' | 'SELL'
  price: number
  size: number
  remaining: number
  tier: 'STANDARD' | 'PREMIUM' | 'VIP'
  placedAt: string
  seq: number
  /** What a cancel took off: a repeated cancel is answered with it. */
  cancelled?: number
}
interface NaiveBook {
  crossing: boolean
  bids: readonly NaiveOrder[]
  asks: readonly NaiveOrder[]
  closed: readonly NaiveOrder[]
  earlyCancels: ReadonlyArray<{ orderId: string }>
  nextSeq: number
  tradeSeq: number
}
const TIER_RANK = { VIP: 0, PREMIUM: 1, STANDARD: 2 }
function priority(a: NaiveOrder, b: NaiveOrder): number {
  if (a.price !== b.price) return a.side === 'BUY' ? b.price - a.price : a.price - b.price
  const time = Date.parse(a.placedAt) - Date.parse(b.placedAt)
  if (time !== 0) return time
  if (a.tier !== b.tier) return TIER_RANK[a.tier] - TIER_RANK[b.tier]
  return a.seq - b.seq
}
const findResting = (book: NaiveBook, orderId: string) =>
  book.bids.find((o) => o.orderId === orderId) ?? book.asks.find((o) => o.orderId === orderId)
function withResting(orders: readonly NaiveOrder[], order: NaiveOrder): NaiveOrder[] {
  const at = orders.findIndex((o) => priority(order, o) < 0)
  return at === -1 ? [...orders, order] : [...orders.slice(0, at), order, ...orders.slice(at)]
}
const without = (side: readonly NaiveOrder[], orderId: string) => side.filter((o) => o.orderId !== orderId)
const naiveLeg = (o: NaiveOrder) => ({ orderId: o.orderId, customerId: o.customerId, limitPrice: o.price })
function naiveTrade(
  book: NaiveBook,
  price: number,
  size: number,
  buy: NaiveOrder | null,
  sell: NaiveOrder | null,
  trigger: 'CROSSING' | 'MATCH_REQUEST',
): EngineEvent {
  return {
    type: 'OrderMatched',
    data: {
      tradeId: String(book.tradeSeq),
      assetName: ASSET,
      price,
      size,
      buy: buy && naiveLeg(buy),
      sell: sell && naiveLeg(sell),
      trigger,
      matchedAt: AT,
    },
  }
}
const naiveRemoved = (o: NaiveOrder, remainingSize: number): EngineEvent => ({
  type: 'OrderRemovedFromBook',
  data: { orderId: o.orderId, customerId: o.customerId, assetName: ASSET, side: o.side, price: o.price, remainingSize, removedAt: AT },
})

function naiveApply(book: NaiveBook, command: EngineCommand): { book: NaiveBook; events: EngineEvent[] } {
  switch (command.type) {
    case 'MarketSettingsChanged':
      return { book: { ...book, crossing: command.data.crossing }, events: [] }
    case 'MatchRequested': {
      const o = findResting(book, command.data.orderId)
      if (!o) return { book, events: [] }
      const next = {
        ...book,
        tradeSeq: book.tradeSeq + 1,
        bids: without(book.bids, o.orderId),
        asks: without(book.asks, o.orderId),
        closed: [...book.closed, { ...o, remaining: 0 }],
      }
      return {
        book: next,
        events: [naiveTrade(next, o.price, o.remaining, o.side === 'BUY' ? o : null, o.side === 'SELL' ? o : null, 'MATCH_REQUEST')],
      }
    }
    case 'OrderCancelRequested': {
      const o = findResting(book, command.data.orderId)
      if (o) {
        return {
          book: {
            ...book,
            bids: without(book.bids, o.orderId),
            asks: without(book.asks, o.orderId),
            closed: [...book.closed, { ...o, remaining: 0, cancelled: o.remaining }],
          },
          events: [naiveRemoved(o, o.remaining)],
        }
      }
      const closed = book.closed.find((c) => c.orderId === command.data.orderId)
      if (closed) return { book, events: [naiveRemoved(closed, closed.cancelled ?? 0)] }
      if (book.earlyCancels.some((c) => c.orderId === command.data.orderId)) return { book, events: [] }
      return { book: { ...book, earlyCancels: [...book.earlyCancels, { orderId: command.data.orderId }] }, events: [] }
    }
    case 'OrderConfirmed': {
      const d = command.data
      if (findResting(book, d.orderId) || book.closed.some((o) => o.orderId === d.orderId)) return { book, events: [] }
      const o: NaiveOrder = {
        orderId: d.orderId,
        customerId: d.customerId,
        side: d.side,
        price: d.price,
        size: d.size,
        remaining: d.size,
        tier: d.tier,
        placedAt: d.createdAt,
        seq: book.nextSeq,
      }
      let next: NaiveBook = { ...book, nextSeq: book.nextSeq + 1 }
      if (next.earlyCancels.some((c) => c.orderId === d.orderId)) {
        next = {
          ...next,
          earlyCancels: next.earlyCancels.filter((c) => c.orderId !== d.orderId),
          closed: [...next.closed, { ...o, remaining: 0, cancelled: o.size }],
        }
        return { book: next, events: [naiveRemoved(o, o.size)] }
      }
      const events: EngineEvent[] = []
      let remaining = o.size
      if (next.crossing) {
        const opposite = o.side === 'BUY' ? next.asks : next.bids
        const kept: NaiveOrder[] = []
        const closed: NaiveOrder[] = []
        for (const r of opposite) {
          if (remaining === 0 || (o.side === 'BUY' ? r.price > o.price : r.price < o.price) || r.customerId === o.customerId) {
            kept.push(r)
            continue
          }
          const q = Math.min(remaining, r.remaining)
          remaining -= q
          next = { ...next, tradeSeq: next.tradeSeq + 1 }
          events.push(o.side === 'BUY' ? naiveTrade(next, r.price, q, o, r, 'CROSSING') : naiveTrade(next, r.price, q, r, o, 'CROSSING'))
          if (q === r.remaining) closed.push({ ...r, remaining: 0 })
          else kept.push({ ...r, remaining: r.remaining - q })
        }
        next = o.side === 'BUY' ? { ...next, asks: kept } : { ...next, bids: kept }
        next = { ...next, closed: [...next.closed, ...closed] }
      }
      const placed = { ...o, remaining }
      if (remaining === 0) return { book: { ...next, closed: [...next.closed, placed] }, events }
      return {
        book: o.side === 'BUY' ? { ...next, bids: withResting(next.bids, placed) } : { ...next, asks: withResting(next.asks, placed) },
        events,
      }
    }
  }
}

interface Runner {
  apply(command: EngineCommand): readonly EngineEvent[]
  /** What the caller does after a command: forget closed orders no command will name again. */
  forget(orderIds: string[] | undefined): void
  size(): number
}

// The processor passes `closed` per command, loaded for the command's order: the baseline gets
// the same, so its `closed` scans stay short as they would be.
function naiveRunner(): Runner {
  let book: NaiveBook = { crossing: false, bids: [], asks: [], closed: [], earlyCancels: [], nextSeq: 1, tradeSeq: 0 }
  const closed = new Map<string, NaiveOrder>()
  return {
    apply(command) {
      const c = command.type === 'MarketSettingsChanged' ? undefined : closed.get(command.data.orderId)
      const result = naiveApply({ ...book, closed: c ? [c] : [] }, command)
      for (const o of result.book.closed) closed.set(o.orderId, o)
      book = { ...result.book, closed: [] }
      return result.events
    },
    forget(orderIds) {
      if (orderIds) for (const id of orderIds) closed.delete(id)
    },
    size: () => book.bids.length + book.asks.length,
  }
}

function engineRunner(): Runner {
  const book: Book = emptyBook(ASSET)
  return {
    apply: (command) => apply(book, command, AT).events,
    forget(orderIds) {
      if (orderIds) for (const id of orderIds) book.closed.delete(id)
    },
    size: () => book.orders.size,
  }
}

// ---------------------------------------------------------------------------------------------
// Measuring

const OPS = ['rest', 'cross', 'cancel', 'match'] as const
type Op = (typeof OPS)[number]

function opOf(command: EngineCommand, events: readonly EngineEvent[]): Op | null {
  switch (command.type) {
    case 'OrderConfirmed':
      return events.length && events[0]!.type === 'OrderMatched' ? 'cross' : 'rest'
    case 'OrderCancelRequested':
      return 'cancel'
    case 'MatchRequested':
      return 'match'
    default:
      return null
  }
}

/** Order-sensitive digest of what the events say (trade ids aside: each engine has its own). */
function digest(h: number, events: readonly EngineEvent[]): number {
  for (const e of events) {
    let s: string
    if (e.type === 'OrderMatched') {
      const d = e.data as EventData<'OrderMatched'>
      s = `M${d.buy?.orderId}${d.sell?.orderId}${d.price}/${d.size}/${d.trigger}/${d.buy?.limitPrice}/${d.sell?.limitPrice}`
    } else {
      const d = e.data as EventData<'OrderRemovedFromBook'>
      s = `R${d.orderId}${d.side}${d.price}/${d.remainingSize}`
    }
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0
  }
  return h
}

/**
 * The commands through the runner in chunks; only the runner's apply is on the clocks (wall and
 * this process's CPU time), not the caller's forgetting, done between chunks.
 */
function pass({ commands, forget }: Input, runner: Runner, each?: (i: number, events: readonly EngineEvent[]) => void) {
  let wall = 0
  let cpu = 0
  for (let from = 0; from < commands.length; from += 1024) {
    const to = Math.min(from + 1024, commands.length)
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    if (each) for (let i = from; i < to; i++) each(i, runner.apply(commands[i]!))
    else for (let i = from; i < to; i++) runner.apply(commands[i]!)
    wall += performance.now() - t0
    const c = process.cpuUsage(c0)
    cpu += c.user + c.system
    for (let i = from; i < to; i++) runner.forget(forget[i])
  }
  return { wall: commands.length / (wall / 1000), cpu: commands.length / (cpu / 1e6) }
}

/** The engine's rate over REPEAT fresh books (one pass takes a fraction of a second). */
function throughput(input: Input) {
  let wall = 0
  let cpu = 0
  for (let r = 0; r < REPEAT; r++) {
    const rate = pass(input, engineRunner())
    wall += input.commands.length / rate.wall
    cpu += input.commands.length / rate.cpu
  }
  const n = REPEAT * input.commands.length
  return { wall: n / wall, cpu: n / cpu }
}

function timed(input: Input, runner: Runner) {
  const latencies: Record<Op, number[]> = { rest: [], cross: [], cancel: [], match: [] }
  let hash = 0x811c9dc5
  let trades = 0
  let booked = 0
  let samples = 0
  const timedRunner: Runner = {
    ...runner,
    apply(c) {
      const t0 = performance.now()
      const events = runner.apply(c)
      const dt = performance.now() - t0
      const op = opOf(c, events)
      if (op) latencies[op].push(dt * 1000)
      return events
    },
  }
  // The digest and the sampling are on the clocks too: a small share of the baseline's time.
  const rates = pass(input, timedRunner, (i, events) => {
    hash = digest(hash, events)
    for (const e of events) if (e.type === 'OrderMatched') trades++
    if ((i & 1023) === 0) {
      booked += runner.size()
      samples++
    }
  })
  for (const op of OPS) latencies[op].sort((a, b) => a - b)
  return { latencies, hash, trades, rates, meanBook: booked / samples }
}

type Input = ReturnType<typeof input>
const data = input(SEED, ORDERS)
const counts = new Map<string, number>()
for (const c of data.commands) counts.set(c.type, (counts.get(c.type) ?? 0) + 1)
console.log(`input: ${data.commands.length} commands (seed ${SEED}, crossing on): ` + [...counts].map(([k, v]) => `${v} ${k}`).join(', '))
// Warm-up: let the JIT settle before anything is measured.
throughput({ commands: data.commands.slice(0, 100_000), forget: data.forget })

const engineRates: number[] = []
const engineWall: number[] = []
const baselineRates: number[] = []
const baselineWall: number[] = []
const ratios: number[] = []
const percentiles: Record<string, number[]> = {}
for (let run = 1; run <= RUNS; run++) {
  const rate = throughput(data)
  const engine = timed(data, engineRunner())
  const baseline = timed(data, naiveRunner())
  if (engine.hash !== baseline.hash || engine.trades !== baseline.trades) {
    throw new Error(
      `engine and baseline disagree: ${engine.trades} vs ${baseline.trades} trades, digest ${engine.hash} vs ${baseline.hash}`,
    )
  }
  engineRates.push(rate.cpu)
  engineWall.push(rate.wall)
  baselineRates.push(baseline.rates.cpu)
  baselineWall.push(baseline.rates.wall)
  ratios.push(rate.cpu / baseline.rates.cpu)
  const line: string[] = []
  for (const [name, r] of [
    ['engine', engine],
    ['baseline', baseline],
  ] as const) {
    for (const op of OPS) {
      const l = r.latencies[op]
      for (const [p, v] of [
        ['p50', percentile(l, 50)],
        ['p99', percentile(l, 99)],
        ['p99.9', percentile(l, 99.9)],
      ] as const) {
        ;(percentiles[`${name} ${op} ${p} µs`] ??= []).push(v)
      }
      if (name === 'engine')
        line.push(
          `${op} ${l.length} p50 ${fmt(percentile(l, 50), 2)} p99 ${fmt(percentile(l, 99), 2)} p99.9 ${fmt(percentile(l, 99.9), 2)} µs`,
        )
    }
  }
  console.log(
    `run ${run}/${RUNS}: engine ${fmt(rate.cpu)} orders per CPU-s (${fmt(rate.wall)} per wall-s), ` +
      `baseline ${fmt(baseline.rates.cpu)} (${fmt(baseline.rates.wall)}), ratio ${fmt(rate.cpu / baseline.rates.cpu, 1)}; ` +
      `${engine.trades} trades, same events from both, ${fmt(engine.meanBook)} orders resting on average\n  engine ${line.join('; ')}`,
  )
}

const show = (name: string, v: number[], d = 0) => {
  const s = summary(v)
  console.log(
    `${name.padEnd(32)} min ${fmt(s.min, d).padStart(10)}  median ${fmt(s.median, d).padStart(10)}  max ${fmt(s.max, d).padStart(10)}`,
  )
}
console.log(`\nsummary over ${RUNS} runs (${data.commands.length} commands each)`)
show('engine orders/s (CPU time)', engineRates)
show('engine orders/s (wall clock)', engineWall)
show('baseline orders/s (CPU time)', baselineRates)
show('baseline orders/s (wall clock)', baselineWall)
show('ratio (CPU time)', ratios, 1)
for (const [name, v] of Object.entries(percentiles)) show(name, v, 2)
const median = (v: number[], d = 0) => fmt(summary(v).median, d)
console.log(`engine_orders_per_s=${median(engineRates)} baseline_orders_per_s=${median(baselineRates)} ratio=${median(ratios, 1)}`)
