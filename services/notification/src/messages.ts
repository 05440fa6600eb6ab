import type { AnyEnvelope } from '@brokerage/contracts'
import { CHANNELS, type Channel } from './store.js'
import type { Kind, Vars } from './templates.js'

// Which events tell a customer something, and what. Fills come from SettlementCompleted (a
// trade is news once it settled: price, size, what is filled and what remains), not from
// OrderMatched, which may still fail to settle.

export interface Message {
  customerId: string
  kind: Kind
  vars: Vars
}

export function messageOf(event: AnyEnvelope, opts: { signInUrl: string }): Message | undefined {
  switch (event.type) {
    case 'CustomerCreated': {
      const d = event.data
      return { customerId: d.customerId, kind: 'CustomerCreated', vars: { name: d.name, email: d.email, signInUrl: opts.signInUrl } }
    }
    case 'CustomerTierChanged': {
      const d = event.data
      return { customerId: d.customerId, kind: 'CustomerTierChanged', vars: { tier: d.tier, previousTier: d.previousTier } }
    }
    case 'CustomerStatusChanged': {
      const d = event.data
      return { customerId: d.customerId, kind: 'CustomerStatusChanged', vars: { status: d.status, previousStatus: d.previousStatus } }
    }
    case 'DepositCompleted':
    case 'WithdrawalCompleted': {
      const d = event.data
      return { customerId: d.customerId, kind: event.type, vars: { amount: d.amount, assetName: d.assetName } }
    }
    case 'DepositRejected':
    case 'WithdrawalRejected': {
      const d = event.data
      return { customerId: d.customerId, kind: event.type, vars: { amount: d.amount, assetName: d.assetName, reason: d.reason } }
    }
    case 'OrderRejected': {
      const d = event.data
      return {
        customerId: d.customerId,
        kind: 'OrderRejected',
        vars: { orderId: d.orderId, assetName: d.assetName, side: d.side, reason: d.reason },
      }
    }
    case 'OrderCancelled': {
      const d = event.data
      return {
        customerId: d.customerId,
        kind: 'OrderCancelled',
        vars: {
          orderId: d.orderId,
          assetName: d.assetName,
          side: d.side,
          price: d.price,
          cancelledSize: d.cancelledSize,
          reason: d.reason,
        },
      }
    }
    case 'SettlementCompleted': {
      const d = event.data
      return {
        customerId: d.customerId,
        kind: d.remainingSize > 0 ? 'OrderPartiallyFilled' : 'OrderFilled',
        vars: {
          orderId: d.orderId,
          assetName: d.assetName,
          side: d.side,
          size: d.size,
          price: d.price,
          filledSize: d.filledSize,
          remainingSize: d.remainingSize,
        },
      }
    }
    case 'OrderFailed': {
      const d = event.data
      return {
        customerId: d.customerId,
        kind: 'OrderFailed',
        vars: { orderId: d.orderId, assetName: d.assetName, side: d.side, filledSize: d.filledSize, reason: d.reason },
      }
    }
    default:
      return undefined
  }
}

/** The default of every (event type, channel): email and the live feed on, SMS and web push off until asked for. */
export const DEFAULT_ON: Record<Channel, boolean> = { EMAIL: true, WEBSOCKET: true, SMS: false, WEB_PUSH: false }

/** The channels a kind goes out on, given the customer's choices (undefined: not chosen, the default holds). */
export function enabledChannels(kind: string, choice: (kind: string, channel: Channel) => boolean | undefined): Channel[] {
  return CHANNELS.filter((c) => choice(kind, c) ?? DEFAULT_ON[c])
}
