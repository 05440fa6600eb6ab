import { isUuid } from '@brokerage/contracts'
import { AppError, type GrpcHandlers } from '@brokerage/platform'
import type { Queryable } from '@brokerage/platform/postgres'
import type { Ledger } from './ledger.js'

// brokerage.asset.v1.AssetService: balance queries only. The gateway has already
// decided whose balances the caller may see and passes exactly those customer ids.

const MAX_CUSTOMER_IDS = 1000
const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/

interface FieldError {
  field: string
  message: string
}

export interface ListBalancesQuery {
  customerIds: string[]
  assetName: string | null
}

/** Checks every field and reports each bad one, so a caller fixes them all at once. */
export function parseListBalances(request: { customer_ids?: unknown; asset_name?: unknown }): ListBalancesQuery {
  const errors: FieldError[] = []
  const ids = request.customer_ids ?? []
  const customerIds: string[] = []
  if (!Array.isArray(ids)) errors.push({ field: 'customer_ids', message: 'must be a list of UUIDs' })
  else if (ids.length > MAX_CUSTOMER_IDS) errors.push({ field: 'customer_ids', message: `at most ${MAX_CUSTOMER_IDS} ids` })
  else {
    ids.forEach((id: unknown, i) => {
      if (isUuid(id)) customerIds.push(id.toLowerCase())
      else errors.push({ field: `customer_ids[${i}]`, message: 'must be a UUID' })
    })
  }
  const asset = request.asset_name ?? ''
  if (typeof asset !== 'string' || (asset !== '' && !ASSET_NAME.test(asset))) {
    errors.push({ field: 'asset_name', message: 'must be 1-32 letters, digits, ".", "_" or "-", or empty for every asset' })
  }
  if (errors.length) throw new AppError('VALIDATION_FAILED', 'invalid ListBalances request', { details: errors })
  return { customerIds, assetName: asset === '' ? null : (asset as string) }
}

export function createAssetGrpc(deps: { db: Queryable; ledger: Ledger }): GrpcHandlers<'asset'> {
  return {
    async ListBalances(request) {
      const balances = await deps.ledger.list(deps.db, parseListBalances(request))
      return {
        balances: balances.map((b) => ({
          customer_id: b.customerId,
          asset_name: b.assetName,
          size: b.size,
          usable_size: b.usableSize,
        })),
      }
    },
  }
}
