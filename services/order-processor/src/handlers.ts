import { newEnvelope, type Envelope } from '@brokerage/contracts'
import { defineHandlers, type HandlerContext, type Outbox } from '@brokerage/platform'
import { apply, type EngineCommand } from './engine/engine.js'
import type { createBookStore } from './store.js'

// The engine's input: engine.commands is keyed by asset, so one asset's commands arrive in
// order on one partition. Each runs in the consumer's transaction (with its inbox row):
// lock the book (kept in memory), apply the command, save what changed, emit what it produced.

export const ENGINE_TOPICS = ['engine.commands']

type CommandType = EngineCommand['type']

export function createEngineHandlers(deps: { books: ReturnType<typeof createBookStore>; outbox: Outbox; now: () => Date }) {
  const { books, outbox, now } = deps

  async function onCommand(command: Envelope<CommandType>, { tx }: HandlerContext) {
    const { data } = command
    const book = await books.lock(tx, data.assetName, 'orderId' in data ? data.orderId : undefined)
    const at = now()
    const { events, changed } = apply(book, command, at.toISOString())
    await books.save(tx, data.assetName, changed, at)
    await outbox.add(tx, ...events.map((e) => newEnvelope(e.type, e.data, { causedBy: command, now: at })))
  }

  return defineHandlers({
    OrderConfirmed: onCommand,
    OrderCancelRequested: onCommand,
    MarketSettingsChanged: onCommand,
    // MatchRequested (fill against the market) comes with the settlement issue.
  })
}
