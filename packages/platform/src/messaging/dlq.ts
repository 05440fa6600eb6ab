import { DLQ_HEADERS } from './retry.js'
import { dlqTopicOf, type Message, type MessageBus } from './port.js'

export interface DeadLetter {
  dlqTopic: string
  partition: number
  offset: number
  key: string
  originalTopic: string
  originalPartition: number
  originalOffset: number
  group: string
  error: string
  errorCode: string
  attempts: number
  failedAt: string
  replayed: boolean
  message: Message
}

const REPLAY_GROUP = 'dlq-replayer'
/** How often a replay looks at the group's committed offsets, for the partitions another replay handles. */
const REPLAY_POLL_MS = 200

export const isDlqTopic = (topic: string) => topic.endsWith('.dlq')

function toDeadLetter(m: Message, replayedBefore: number): DeadLetter {
  const h = m.headers
  return {
    dlqTopic: m.topic,
    partition: m.partition,
    offset: m.offset,
    key: m.key,
    originalTopic: h[DLQ_HEADERS.topic] ?? m.topic.replace(/\.dlq$/, ''),
    originalPartition: Number(h[DLQ_HEADERS.partition] ?? -1),
    originalOffset: Number(h[DLQ_HEADERS.offset] ?? -1),
    group: h[DLQ_HEADERS.group] ?? '',
    error: h[DLQ_HEADERS.error] ?? '',
    errorCode: h[DLQ_HEADERS.errorCode] ?? '',
    attempts: Number(h[DLQ_HEADERS.attempts] ?? 0),
    failedAt: h[DLQ_HEADERS.failedAt] ?? m.timestamp.toISOString(),
    replayed: m.offset < replayedBefore,
    message: m,
  }
}

/** Dead letters read per request while listing. */
const PAGE = 1000

/** Every dead letter of one DLQ topic (or of all of them), oldest first per partition. */
export async function listDeadLetters(bus: MessageBus, opts: { topic?: string } = {}): Promise<DeadLetter[]> {
  const topics = opts.topic ? [asDlqTopic(opts.topic)] : (await bus.listTopics()).filter(isDlqTopic)
  const out: DeadLetter[] = []
  for (const topic of topics) {
    const lag = await bus.lag(REPLAY_GROUP, [topic])
    for (const p of lag) {
      // Page by page to the end: a partition holds as many dead letters as ever failed.
      for (let from = 0; from < p.endOffset;) {
        const msgs = await bus.read(topic, p.partition, from, PAGE)
        if (!msgs.length) break
        out.push(...msgs.map((m) => toDeadLetter(m, p.committed)))
        from = msgs.at(-1)!.offset + 1
      }
    }
  }
  return out
}

/** A DLQ topic by its name or its original topic's. */
const asDlqTopic = (topic: string) => (isDlqTopic(topic) ? topic : dlqTopicOf(topic))

/** The dead letter at one offset of a DLQ topic's partition, or null. */
export async function findDeadLetter(bus: MessageBus, topic: string, partition: number, offset: number): Promise<DeadLetter | null> {
  const dlqTopic = asDlqTopic(topic)
  const p = (await bus.lag(REPLAY_GROUP, [dlqTopic])).find((l) => l.partition === partition)
  if (!p || !Number.isSafeInteger(offset) || offset < 0 || offset >= p.endOffset) return null
  const [m] = await bus.read(dlqTopic, partition, offset, 1)
  return m && m.offset === offset ? toDeadLetter(m, p.committed) : null
}

/** Copies one dead letter back onto its original topic; the consumer sees it as a new message. */
export async function replayDeadLetter(bus: MessageBus, dl: DeadLetter): Promise<void> {
  const headers = Object.fromEntries(Object.entries(dl.message.headers).filter(([k]) => !k.startsWith('dlq-')))
  await bus.publish([
    {
      topic: dl.originalTopic,
      key: dl.key,
      value: dl.message.value,
      headers: { ...headers, 'replayed-from': `${dl.dlqTopic}/${dl.partition}/${dl.offset}` },
    },
  ])
}

/**
 * Replays every dead letter of a DLQ topic not replayed yet. Progress is the committed
 * offset of the `dlq-replayer` group, so running it twice replays nothing twice.
 */
export async function replayAll(bus: MessageBus, dlqTopic: string): Promise<number> {
  let count = 0
  const lag = await bus.lag(REPLAY_GROUP, [dlqTopic])
  if (lag.every((p) => p.lag === 0)) return 0
  let resolveDone!: () => void
  const done = new Promise<void>((r) => (resolveDone = r))
  const remaining = new Map(lag.map((p) => [p.partition, p.endOffset]))
  const check = () => {
    if ([...remaining.values()].every((v) => v <= 0)) resolveDone()
  }
  const consumer = await bus.consume({
    groupId: REPLAY_GROUP,
    topics: [dlqTopic],
    handleBatch: async (batch) => {
      // Dead letters that arrive while replaying are replayed too; we stop once the ends seen at the start are reached.
      for (const m of batch.messages) {
        await replayDeadLetter(bus, toDeadLetter(m, 0))
        batch.resolveOffset(m.offset)
        count++
        const end = lag.find((p) => p.partition === m.partition)?.endOffset ?? 0
        if (m.offset + 1 >= end) remaining.set(m.partition, 0)
      }
      check()
    },
  })
  for (const p of lag) if (p.lag === 0) remaining.set(p.partition, 0)
  check()
  // Another replay of the topic may be running (two operators, a retried command): the group splits
  // the partitions between them, or the other replays them all before this one gets any. Those
  // partitions are done once the group's committed offsets reach the ends seen at the start.
  let polling = false
  const poll = setInterval(() => {
    if (polling) return
    polling = true
    bus
      .lag(REPLAY_GROUP, [dlqTopic])
      .then((now) => {
        for (const p of now) if (p.committed >= (remaining.get(p.partition) ?? 0)) remaining.set(p.partition, 0)
        check()
      })
      .catch(() => {}) // asked again at the next tick
      .finally(() => (polling = false))
  }, REPLAY_POLL_MS)
  try {
    await done
  } finally {
    clearInterval(poll)
  }
  await consumer.stop()
  return count
}
