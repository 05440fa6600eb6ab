import { newEnvelope, type Envelope } from '@brokerage/contracts'
import { defineHandlers, type BatchContext, type EventEnvelope, type Outbox } from '@brokerage/platform'
import { apply, type EngineCommand } from './engine/engine.js'
import type { NewLeg, SettlementSaga } from './saga.js'
import { createBookWrites, type createBookStore } from './store.js'

// The engine's input: engine.commands is keyed by asset, so one asset's commands arrive in
// order on one partition. A batch of them runs in the consumer's transaction (with its inbox
// rows) at a constant number of statements, however many commands and books it holds: lock
// the books (kept in memory), apply the commands in order, save what changed, record the
// trades, emit what they produced.

export const ENGINE_TOPICS = ['engine.commands']

type CommandType = EngineCommand['type']

export function createEngineHandlers(deps: {
  books: ReturnType<typeof createBookStore>
  saga: SettlementSaga
  outbox: Outbox
  now: () => Date
}) {
  const { books, saga, outbox, now } = deps

  async function onCommands(commands: ReadonlyArray<Envelope<CommandType>>, { tx }: BatchContext) {
    const locked = await books.lock(
      tx,
      commands.map(({ data }) => ({ assetName: data.assetName, orderId: 'orderId' in data ? data.orderId : undefined })),
    )
    const at = now()
    const stamp = at.toISOString()
    const writes = createBookWrites()
    const legs: NewLeg[] = []
    const out: EventEnvelope[] = []
    for (const command of commands) {
      const { events, changed } = apply(locked.get(command.data.assetName)!, command, stamp)
      writes.add(command.data.assetName, changed)
      // The saga follows each trade from the transaction that makes it, so none goes unwatched.
      legs.push(...saga.legsOf(events, changed))
      for (const e of events) out.push(newEnvelope(e.type, e.data, { causedBy: command, now: at }) as EventEnvelope)
    }
    await books.save(tx, writes, at)
    await saga.recordTrades(tx, legs, at)
    await outbox.add(tx, ...out)
  }

  return defineHandlers({
    OrderConfirmed: { batch: onCommands },
    OrderCancelRequested: { batch: onCommands },
    MarketSettingsChanged: { batch: onCommands },
    MatchRequested: { batch: onCommands },
  })
}
