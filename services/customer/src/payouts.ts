import type { Queryable } from '@brokerage/platform'

// The payout port: how a reserved withdrawal leaves the platform (a bank transfer to the
// IBAN). It runs inside the transaction that handles WithdrawalReserved, so the payout
// record, the movement and WithdrawalSent commit together and a redelivery finds them.

export interface Payout {
  movementId: string
  customerId: string
  assetName: string
  amount: number
  iban: string | null
}

export interface PayoutReceipt {
  reference: string
  sentAt: Date
}

export interface Payouts {
  /** Sends one payout; sending the same movement again answers the first receipt. */
  send(tx: Queryable, payout: Payout): Promise<PayoutReceipt>
}

/**
 * The default adapter: the money counts as sent the moment it is recorded. A real bank
 * integration would record the payout as pending here and report WithdrawalSent once the
 * bank confirms, from outside the event handler's transaction.
 */
export function createPayouts(deps: { now: () => Date }): Payouts {
  return {
    async send(tx, p) {
      await tx.query(
        `INSERT INTO payouts (movement_id, customer_id, asset_name, amount, iban, reference, sent_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (movement_id) DO NOTHING`,
        [p.movementId, p.customerId, p.assetName, p.amount, p.iban, `instant-${p.movementId}`, deps.now()],
      )
      const { rows } = await tx.query<{ reference: string; sent_at: Date }>(
        'SELECT reference, sent_at FROM payouts WHERE movement_id = $1',
        [p.movementId],
      )
      return { reference: rows[0]!.reference, sentAt: rows[0]!.sent_at }
    },
  }
}
