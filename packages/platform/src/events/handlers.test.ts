import { test } from 'node:test'
import assert from 'node:assert/strict'
import { defineHandlers } from './handlers.js'

test('when a handler map is defined, then each handler reads its own event type and a misspelt type does not compile', () => {
  const amounts: number[] = []
  const handlers = defineHandlers({
    DepositRequested: async (event) => {
      amounts.push(event.data.amount)
    },
    CustomerCreated: async (event) => {
      // @ts-expect-error: a customer has no amount; the handler gets CustomerCreated's data
      amounts.push(event.data.amount)
    },
  })
  // @ts-expect-error: no event type is spelt like this
  defineHandlers({ DepositRequestd: async () => {} })
  assert.deepEqual(Object.keys(handlers), ['DepositRequested', 'CustomerCreated'])
})

test('when a set-based handler is defined, then it gets a run of its own event type and per-event handlers live beside it', () => {
  const handlers = defineHandlers({
    DepositRequested: {
      batch: async (events) => {
        const total: number = events.reduce((sum, e) => sum + e.data.amount, 0)
        // @ts-expect-error: a deposit has no orderId; the run holds DepositRequested envelopes only
        events.map((e) => e.data.orderId)
        void total
      },
    },
    CustomerCreated: async () => {},
  })
  // @ts-expect-error: a set-based handler takes the run, not one event
  defineHandlers({ DepositRequested: { batch: async (event: { data: { amount: number } }) => void event.data.amount } })
  assert.deepEqual(Object.keys(handlers), ['DepositRequested', 'CustomerCreated'])
  assert.equal(typeof handlers.DepositRequested, 'object')
})
