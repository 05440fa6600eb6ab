import type { Envelope, EventType } from '@brokerage/contracts'
import type { HandlerContext } from './consumer.js'

/** What a consumer does with one event type: it gets that type's envelope, its data typed by the contracts. */
export type HandlerOf<T extends EventType> = (event: Envelope<T>, ctx: HandlerContext) => Promise<void>

/** A consumer's handlers by event type; events of types without one are skipped. */
export type EventHandlers = { readonly [T in EventType]?: HandlerOf<T> }

/**
 * The one way to write a handler map: each handler is typed by its key, so it reads its
 * event's data without casts, and a misspelt event type does not compile.
 */
export function defineHandlers(handlers: EventHandlers): EventHandlers {
  return handlers
}
