import { ASSET_NAME, ASSET_NAME_RULE, isUuid } from '@brokerage/contracts'
import { fieldErrors, type GrpcHandlers } from '@brokerage/platform'
import type { Queryable } from '@brokerage/platform/postgres'
import type { Ledger } from './ledger.js'

// brokerage.asset.v1.AssetService: balance queries only. The gateway has already
// decided whose balances the caller may see and passes exactly those customer ids.

const MAX_CUSTOMER_IDS = 1000

export interface ListBalancesQuery {
  customerIds: string[]
  assetName: string | null
}

/** Checks every field and reports each bad one, so a caller fixes them all at once. */
export function parseListBalances(request: { customer_ids?: unknown; asset_name?: unknown }): ListBalancesQuery {
  const errors = fieldErrors('invalid ListBalances request')
  const ids = request.customer_ids ?? []
  const customerIds: string[] = []
  if (!Array.isArray(ids)) errors.add('customer_ids', 'must be a list of UUIDs')
  else if (ids.length > MAX_CUSTOMER_IDS) errors.add('customer_ids', `at most ${MAX_CUSTOMER_IDS} ids`)
  else {
    ids.forEach((id: unknown, i) => {
      if (isUuid(id)) customerIds.push(id.toLowerCase())
      else errors.add(`customer_ids[${i}]`, 'must be a UUID')
    })
  }
  const asset = request.asset_name ?? ''
  if (typeof asset !== 'string' || (asset !== '' && !ASSET_NAME.test(asset))) {
    errors.add('asset_name', `must be ${ASSET_NAME_RULE}, or empty for every asset`)
  }
  errors.done()
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
