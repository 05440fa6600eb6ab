import { newEnvelope, type Envelope } from '@brokerage/contracts'
import type { EventEnvelope, EventHandler, HandlerContext, Outbox } from '@brokerage/platform'
import { apply, type EngineCommand } from './engine/engine.js'
import type { createBookStore } from './store.js'

// The engine's input: engine.commands is keyed by asset, so one asset's commands arrive in
// order on one partition. Each runs in the consumer's transaction (with its inbox row):
// load and lock the book, apply the command, save what changed, emit what it produced.

export const ENGINE_TOPICS = ['engine.commands']

type CommandType = EngineCommand['type']

export function createEngineHandlers(deps: { books: ReturnType<typeof createBookStore>; outbox: Outbox; now: () => Date }) {
  const { books, outbox, now } = deps

  function handler<T extends CommandType>(type: T) {
    return async (event: Envelope<T>, { tx }: HandlerContext) => {
      const data = event.data as Extract<EngineCommand, { type: T }>['data']
      const before = await books.load(tx, data.assetName, 'orderId' in data ? data.orderId : undefined)
      const at = now()
      const { book, events } = apply(before, { type, data } as EngineCommand, at.toISOString())
      await books.save(tx, before, book, at)
      await outbox.add(tx, ...events.map((e) => newEnvelope(e.type, e.data, { causedBy: event, now: at }) as EventEnvelope))
    }
  }

  const handlers = {
    OrderConfirmed: handler('OrderConfirmed'),
    OrderCancelRequested: handler('OrderCancelRequested'),
    MarketSettingsChanged: handler('MarketSettingsChanged'),
    // MatchRequested (fill against the market) comes with the settlement issue.
  }
  // The codec has checked each event against its type's schema, so each handler gets its own type.
  return handlers as unknown as Record<string, EventHandler>
}
