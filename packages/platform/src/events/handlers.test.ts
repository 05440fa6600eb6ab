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
