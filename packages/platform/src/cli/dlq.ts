// Dead letters: list, inspect and replay them.
//   npm run dlq -- list [topic]
//   npm run dlq -- show <dlq-topic> <partition> <offset>
//   npm run dlq -- replay <dlq-topic> [<partition> <offset>]   (all not yet replayed, or one)
// The bus is the one the platform uses: BUS (pglog|nats|kafka, default pglog), NATS_URL for nats, and
// BUS_DATABASE_URL (default: the `npm start` embedded server's brokerage_bus database).
import { connectBus } from '../messaging/connect.js'
import { findDeadLetter, listDeadLetters, replayAll, replayDeadLetter, type DeadLetter } from '../messaging/dlq.js'

const usage = 'usage: dlq list [topic] | dlq show <dlq-topic> <partition> <offset> | dlq replay <dlq-topic> [<partition> <offset>]'

function summary(d: DeadLetter) {
  return {
    at: `${d.dlqTopic}/${d.partition}/${d.offset}`,
    from: `${d.originalTopic}/${d.originalPartition}/${d.originalOffset}`,
    key: d.key,
    type: d.message.headers['event-type'] ?? null,
    eventId: d.message.headers['event-id'] ?? null,
    group: d.group,
    attempts: d.attempts,
    errorCode: d.errorCode,
    error: d.error,
    failedAt: d.failedAt,
    replayed: d.replayed,
  }
}

async function main(argv: string[]) {
  const [cmd, topic, partition, offset] = argv
  const bus = await connectBus({
    kind: (process.env.BUS ?? 'pglog') as 'pglog',
    url: process.env.BUS_DATABASE_URL ?? `postgres://postgres:postgres@127.0.0.1:${process.env.PG_PORT ?? 54329}/brokerage_bus`,
    natsUrl: process.env.NATS_URL,
    brokers: process.env.KAFKA_BROKERS,
  })
  try {
    const find = async () => {
      const dl = topic ? await findDeadLetter(bus, topic, Number(partition), Number(offset)) : null
      if (!dl) throw new Error(`no dead letter at ${topic}/${partition}/${offset}`)
      return dl
    }
    switch (cmd) {
      case 'list': {
        const all = await listDeadLetters(bus, { topic })
        for (const d of all) console.log(JSON.stringify(summary(d)))
        console.error(`${all.length} dead letter(s), ${all.filter((d) => !d.replayed).length} not replayed`)
        return 0
      }
      case 'show': {
        const dl = await find()
        console.log(
          JSON.stringify({ ...summary(dl), headers: dl.message.headers, valueBase64: dl.message.value.toString('base64') }, null, 2),
        )
        return 0
      }
      case 'replay': {
        if (!topic) throw new Error(usage)
        if (partition !== undefined) {
          await replayDeadLetter(bus, await find())
          console.log(`replayed ${topic}/${partition}/${offset}`)
        } else {
          console.log(`replayed ${await replayAll(bus, topic)} dead letter(s) from ${topic}`)
        }
        return 0
      }
      default:
        console.error(usage)
        return 2
    }
  } finally {
    await bus.close()
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(err.message)
    process.exit(1)
  },
)
