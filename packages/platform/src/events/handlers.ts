import type { Envelope, EventType } from '@brokerage/contracts'
import type { BatchContext, HandlerContext } from './consumer.js'

/** What a consumer does with one event of a type: it gets that type's envelope, its data typed by the contracts. */
export type HandlerOf<T extends EventType> = (event: Envelope<T>, ctx: HandlerContext) => Promise<void>

/**
 * A set-based handler: it gets a run of consecutive events of its type (in partition order,
 * duplicates already removed) and should apply them with a constant number of statements,
 * whatever the run's length. When a batch fails it is called again with one event at a
 * time, so that only the failing event is retried and dead-lettered.
 */
export interface BatchHandlerOf<T extends EventType> {
  batch: (events: ReadonlyArray<Envelope<T>>, ctx: BatchContext) => Promise<void>
}

/** A consumer's handlers by event type; events of types without one are skipped. */
export type EventHandlers = { readonly [T in EventType]?: HandlerOf<T> | BatchHandlerOf<T> }

/**
 * The one way to write a handler map: each handler is typed by its key, so it reads its
 * event's data without casts, and a misspelt event type does not compile. Prefer
 * `{ batch: async (events, { tx }) => … }` on a hot path: a run of events then costs a few
 * statements in all instead of a few per event.
 */
export function defineHandlers(handlers: EventHandlers): EventHandlers {
  return handlers
}
