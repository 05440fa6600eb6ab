import type { ClaimedDelivery } from '../store.js'

/** A channel's answer that no retry can change (a refused address, a gone subscription): the delivery ends FAILED at once. */
export class PermanentDeliveryError extends Error {
  readonly permanent = true
}

export const isPermanentDelivery = (err: unknown) => err instanceof PermanentDeliveryError

/** One way out: sends one delivery, or throws (PermanentDeliveryError when retrying cannot help). */
export interface ChannelSender {
  send(delivery: ClaimedDelivery): Promise<void>
}
