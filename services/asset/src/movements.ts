import type { Queryable } from '@brokerage/platform/postgres'
import type { DepositRejection, WithdrawalRejection } from './domain.js'

// Deposits and withdrawals, by the customer service's movement id: a second request
// for the same movement (a re-sent event with a new id) is recognised and not applied
// again, and the conservation checker reads its totals from here.

export interface Movement {
  movementId: string
  customerId: string
  assetName: string
  amount: number
}

export interface Withdrawal extends Movement {
  status: 'RESERVED' | 'REJECTED' | 'COMPLETED'
}

export function createMovements() {
  return {
    /** False if this movement was already answered (credited or rejected). */
    async recordDeposit(tx: Queryable, m: Movement, eventId: string): Promise<boolean> {
      const { rowCount } = await tx.query(
        `INSERT INTO deposits (movement_id, customer_id, asset_name, amount, event_id) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (movement_id) DO NOTHING`,
        [m.movementId, m.customerId, m.assetName, m.amount, eventId],
      )
      return rowCount === 1
    },

    /** Marks a deposit recorded in this transaction as refused: it credited nothing. */
    async rejectDeposit(tx: Queryable, movementId: string, reason: DepositRejection): Promise<void> {
      await tx.query('UPDATE deposits SET rejection_reason = $2 WHERE movement_id = $1', [movementId, reason])
    },

    async lockWithdrawal(tx: Queryable, movementId: string): Promise<Withdrawal | null> {
      const { rows } = await tx.query<{ customer_id: string; asset_name: string; amount: number; status: Withdrawal['status'] }>(
        'SELECT customer_id, asset_name, amount, status FROM withdrawals WHERE movement_id = $1 FOR UPDATE',
        [movementId],
      )
      const r = rows[0]
      return r ? { movementId, customerId: r.customer_id, assetName: r.asset_name, amount: r.amount, status: r.status } : null
    },

    async recordWithdrawal(tx: Queryable, m: Movement, eventId: string, rejection: WithdrawalRejection | null): Promise<void> {
      await tx.query(
        `INSERT INTO withdrawals (movement_id, customer_id, asset_name, amount, status, rejection_reason, requested_event_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [m.movementId, m.customerId, m.assetName, m.amount, rejection ? 'REJECTED' : 'RESERVED', rejection, eventId],
      )
    },

    async completeWithdrawal(tx: Queryable, movementId: string, sentEventId: string): Promise<void> {
      await tx.query(
        `UPDATE withdrawals SET status = 'COMPLETED', sent_event_id = $2, updated_at = now()
         WHERE movement_id = $1 AND status = 'RESERVED'`,
        [movementId, sentEventId],
      )
    },
  }
}

export type Movements = ReturnType<typeof createMovements>
