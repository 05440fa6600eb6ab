import type { EventData } from '@brokerage/contracts'
import { findResting, withResting, type Book, type BookOrder } from './book.js'

// The matching engine: one command against one asset's book gives the next book and the
// events to publish. Pure: the caller loads the book, supplies the time, persists what
// changed and publishes the events, all in one transaction.
//
// Today it books confirmed orders and takes cancelled ones off. Crossing and match
// commands (OrderMatched) come with the settlement issue: they go in `rest()` (an incoming
// order that crosses the opposite best price) and in a MatchRequested case here.

export type EngineCommand =
  | { type: 'OrderConfirmed'; data: EventData<'OrderConfirmed'> }
  | { type: 'OrderCancelRequested'; data: EventData<'OrderCancelRequested'> }
  | { type: 'MarketSettingsChanged'; data: EventData<'MarketSettingsChanged'> }

export type EngineEvent = { type: 'OrderRemovedFromBook'; data: EventData<'OrderRemovedFromBook'> }

export interface EngineResult {
  book: Book
  events: EngineEvent[]
}

/** `at`: the time the command is applied (ISO-8601), stamped on the events. */
export function apply(book: Book, command: EngineCommand, at: string): EngineResult {
  switch (command.type) {
    case 'OrderConfirmed':
      return rest(book, command.data, at)
    case 'OrderCancelRequested':
      return cancel(book, command.data, at)
    case 'MarketSettingsChanged':
      return { book: { ...book, crossing: command.data.crossing }, events: [] }
  }
}

function removed(book: Book, o: BookOrder, remainingSize: number, at: string): EngineEvent {
  return {
    type: 'OrderRemovedFromBook',
    data: {
      orderId: o.orderId,
      customerId: o.customerId,
      assetName: book.assetName,
      side: o.side,
      price: o.price,
      remainingSize,
      removedAt: at,
    },
  }
}

function rest(book: Book, data: EventData<'OrderConfirmed'>, at: string): EngineResult {
  // Already booked (or already gone): the confirmation was seen before.
  if (findResting(book, data.orderId) || book.closed.some((o) => o.orderId === data.orderId)) return { book, events: [] }
  const order: BookOrder = {
    orderId: data.orderId,
    customerId: data.customerId,
    side: data.side,
    price: data.price,
    size: data.size,
    remaining: data.size,
    tier: data.tier,
    placedAt: data.createdAt,
    seq: book.nextSeq,
  }
  const early = book.earlyCancels.find((c) => c.orderId === data.orderId)
  if (early) {
    // Its cancel came first: the order never rests, and the answer the cancel waited for goes out now.
    const closed = { ...order, remaining: 0 }
    return {
      book: {
        ...book,
        closed: [...book.closed, closed],
        earlyCancels: book.earlyCancels.filter((c) => c !== early),
        nextSeq: book.nextSeq + 1,
      },
      events: [removed(book, order, order.size, at)],
    }
  }
  const next = { ...book, nextSeq: book.nextSeq + 1 }
  return {
    book: order.side === 'BUY' ? { ...next, bids: withResting(book.bids, order) } : { ...next, asks: withResting(book.asks, order) },
    events: [],
  }
}

function cancel(book: Book, data: EventData<'OrderCancelRequested'>, at: string): EngineResult {
  const resting = findResting(book, data.orderId)
  if (resting) {
    const without = (side: readonly BookOrder[]) => side.filter((o) => o.orderId !== data.orderId)
    return {
      book: { ...book, bids: without(book.bids), asks: without(book.asks), closed: [...book.closed, { ...resting, remaining: 0 }] },
      events: [removed(book, resting, resting.remaining, at)],
    }
  }
  const closed = book.closed.find((o) => o.orderId === data.orderId)
  // Nothing left: filled, or taken off by an earlier cancel.
  if (closed) return { book, events: [removed(book, closed, 0, at)] }
  if (book.earlyCancels.some((c) => c.orderId === data.orderId)) return { book, events: [] }
  // Not seen yet. The answer needs the order's side and price, so it waits for OrderConfirmed.
  return {
    book: {
      ...book,
      earlyCancels: [
        ...book.earlyCancels,
        { orderId: data.orderId, customerId: data.customerId, reason: data.reason, requestedAt: data.requestedAt },
      ],
    },
    events: [],
  }
}
