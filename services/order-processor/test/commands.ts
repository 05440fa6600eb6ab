import { randomUUID } from 'node:crypto'
import type { EventData } from '@brokerage/contracts'

// The engine's input as the order service would send it, for the processor's tests.

/** An OrderConfirmed for THYAO (BUY 10 at 250.00 unless told otherwise), placed now. */
export const confirmedOrder = (o: Partial<EventData<'OrderConfirmed'>> = {}): EventData<'OrderConfirmed'> => ({
  orderId: randomUUID(),
  customerId: randomUUID(),
  assetName: 'THYAO',
  side: 'BUY',
  size: 10,
  price: 25_000,
  tier: 'STANDARD',
  createdAt: new Date().toISOString(),
  confirmedAt: new Date().toISOString(),
  ...o,
})
