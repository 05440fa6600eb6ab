import { eventually } from '@brokerage/platform/testing'
import type { Platform } from './harness.js'

export interface Balance {
  customerId: string
  assetName: string
  size: number
  usableSize: number
}

/** The state the platform settles into on its own, re-read until it holds (bounded). */
export function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  return eventually(
    async () => {
      const v = await read()
      return ok(v) ? { v } : undefined
    },
    { what, timeoutMs },
  ).then((x) => x.v)
}

export async function balances(p: Platform, token: string, customerId: string): Promise<Record<string, Balance>> {
  const res = await p.api<Balance[]>('GET', `/api/assets?customerId=${customerId}`, { token })
  if (res.status !== 200) throw new Error(`GET /api/assets: ${res.status} ${JSON.stringify(res.body)}`)
  return Object.fromEntries(res.body.map((b) => [b.assetName, b]))
}

export async function createCustomer(
  p: Platform,
  token: string,
  over: Partial<{ name: string; email: string; password: string; tier: string }> = {},
) {
  const email = over.email ?? `c-${Math.random().toString(36).slice(2, 10)}@example.com`
  const res = await p.api('POST', '/api/customers', {
    token,
    body: {
      name: over.name ?? 'Test Customer',
      email,
      password: over.password ?? 'secret-password',
      ...(over.tier ? { tier: over.tier } : {}),
    },
  })
  if (res.status !== 201) throw new Error(`POST /api/customers: ${res.status} ${JSON.stringify(res.body)}`)
  return { id: res.body.id as string, email, password: over.password ?? 'secret-password' }
}

/** Deposits and waits until the balance shows it. */
export async function deposit(p: Platform, token: string, customerId: string, amount: number, assetName = 'TRY') {
  const before = (await balances(p, token, customerId))[assetName]?.size ?? 0
  const res = await p.api('POST', `/api/customers/${customerId}/deposits`, { token, body: { amount, assetName } })
  if (res.status !== 202) throw new Error(`deposit: ${res.status} ${JSON.stringify(res.body)}`)
  await until(
    `deposit of ${amount} ${assetName}`,
    () => balances(p, token, customerId),
    (b) => (b[assetName]?.size ?? 0) === before + amount,
  )
  return res.body
}

export async function orderStatus(p: Platform, token: string, id: string, statuses: string[]) {
  return until(
    `order ${id} to reach ${statuses.join('|')}`,
    async () => (await p.api('GET', `/api/orders/${id}`, { token })).body,
    (o) => statuses.includes(o?.status),
  )
}
