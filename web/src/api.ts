// The REST API of the gateway (same origin). One error type from the API's one error shape
// ({error:{code,message,details?},requestId}), so every form shows a refusal next to its field.

export interface FieldProblem {
  field: string
  message: string
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldProblem[] = [],
    readonly requestId?: string,
    /** From Retry-After on a 429: when asking again may succeed. */
    readonly retryAfterMs?: number,
  ) {
    super(message)
  }
  /** The refusal of one field: `size` matches `body.size` and `size`. */
  field(name: string): string | undefined {
    return this.details.find((d) => d.field === name || d.field.endsWith(`.${name}`))?.message
  }
}

export interface Tokens {
  access_token: string
  refresh_token: string
  expires_in: number
}

export interface Me {
  subject: string
  role: 'ADMIN' | 'BROKER' | 'CUSTOMER'
  customerId: string | null
  brokerId: string | null
}

export interface Balance {
  customerId: string
  assetName: string
  size: number
  usableSize: number
}
export type Side = 'BUY' | 'SELL'
export interface Order {
  id: string
  customerId: string
  assetName: string
  side: Side
  size: number
  price: number
  filledSize: number
  status: string
  rejectionReason: string | null
  createdAt: string
  updatedAt: string
}
export interface OrderWithHistory extends Order {
  history: { status: string; at: string; eventId: string | null; eventType: string | null; reason: string | null }[]
}
export interface Page<T> {
  content: T[]
  page: number
  size: number
  totalElements: number
}
export interface Trade {
  tradeId: string
  orderId: string
  assetName: string
  side: string
  size: number
  price: number
  settledAt: string
}
export interface Customer {
  id: string
  name: string
  email: string
  tier: string
  status: string
  brokerId: string | null
  createdAt: string
  updatedAt: string
}
export interface Broker {
  id: string
  name: string
  email: string
  createdAt: string
}
export interface Movement {
  id: string
  customerId: string
  kind: string
  assetName: string
  amount: number
  iban: string | null
  status: string
  rejectionReason: string | null
  createdAt: string
  updatedAt: string
}
export interface Market {
  assetName: string
  crossing: boolean
  updatedAt: string | null
}
export interface Level {
  price: number
  size: number
  orders: number
}
export interface OrderBook {
  assetName: string
  bids: Level[]
  asks: Level[]
  asOf: string
}
export interface Notification {
  id: string
  eventType: string
  title: string
  body: string
  createdAt: string
  deliveries: { channel: string; status: string }[]
}
export interface Preferences {
  customerId: string
  preferences: { eventType: string; channel: string; enabled: boolean }[]
}
export interface PushSubscriptionEntry {
  id: string
  endpoint: string
  createdAt: string
}
export interface Contact {
  customerId: string
  email: string | null
  phone: string | null
  locale: string
  pushSubscriptions: PushSubscriptionEntry[]
  vapidPublicKey: string
}
export interface AuditEvent {
  sequence: number
  eventId: string | null
  type: string
  service: string | null
  occurredAt: string
  sincePreviousMs: number
}
export interface Analytics {
  volume: { assetName: string; day: string; size: number; notional: number; trades: number }[]
  orderStatuses: { status: string; orders: number }[]
  sagaDurations: { name: string; count: number; p50Ms: number; p95Ms: number; p99Ms: number; maxMs: number }[]
  reasons: { eventType: string; reason: string; count: number }[]
}

const REFRESH_KEY = 'brokerage.refresh'

/**
 * The session: the access token lives in memory only; the refresh token in sessionStorage,
 * so a reload of the tab stays signed in and closing it ends that (the strict CSP keeps
 * foreign script out of the page).
 */
class Session {
  private access: string | null = null
  private refreshing: Promise<boolean> | null = null
  private listeners = new Set<() => void>()

  get token() {
    return this.access
  }
  get hasRefresh() {
    return sessionStorage.getItem(REFRESH_KEY) !== null
  }
  subscribe(fn: () => void) {
    this.listeners.add(fn)
    return () => void this.listeners.delete(fn)
  }
  set(tokens: Tokens | null) {
    this.access = tokens?.access_token ?? null
    if (tokens) sessionStorage.setItem(REFRESH_KEY, tokens.refresh_token)
    else sessionStorage.removeItem(REFRESH_KEY)
    for (const fn of this.listeners) fn()
  }
  /** One refresh at a time: a refresh token works once, so two racing would end the session. */
  refresh(): Promise<boolean> {
    this.refreshing ??= (async () => {
      const refresh_token = sessionStorage.getItem(REFRESH_KEY)
      if (!refresh_token) return false
      try {
        this.set(await request<Tokens>('POST', '/auth/refresh', { body: { refresh_token }, anonymous: true }))
        return true
      } catch {
        this.set(null)
        return false
      }
    })().finally(() => (this.refreshing = null))
    return this.refreshing
  }
}

export const session = new Session()

interface RequestOptions {
  body?: unknown
  headers?: Record<string, string>
  anonymous?: boolean
}

/** Sends with the session's token (refreshed once on a 401); an answer that is not 2xx throws its ApiError. */
async function send(method: string, path: string, o: RequestOptions = {}, retried = false): Promise<Response> {
  const headers: Record<string, string> = { ...o.headers }
  if (!o.anonymous && session.token) headers.authorization = `Bearer ${session.token}`
  if (o.body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(`/api${path}`, { method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body) })
  if (res.status === 401 && !o.anonymous && !retried && (await session.refresh())) return send(method, path, o, true)
  if (!res.ok) {
    const text = await res.text()
    let body: { error?: { code?: string; message?: string; details?: unknown }; requestId?: string } = {}
    try {
      body = text ? JSON.parse(text) : {}
    } catch {
      // Not the API's shape (a proxy's page, say): the status text says what there is to say.
    }
    const details = Array.isArray(body.error?.details) ? (body.error.details as FieldProblem[]) : []
    const retryAfter = Number(res.headers.get('retry-after'))
    throw new ApiError(
      res.status,
      body.error?.code ?? 'HTTP_' + res.status,
      body.error?.message ?? res.statusText,
      details,
      body.requestId,
      retryAfter > 0 ? retryAfter * 1000 : undefined,
    )
  }
  return res
}

async function request<T>(method: string, path: string, o: RequestOptions = {}): Promise<T> {
  const text = await (await send(method, path, o)).text()
  return (text ? JSON.parse(text) : null) as T
}

/** A file the API answers (a report): its bytes and the name its Content-Disposition gives. */
async function download(path: string): Promise<{ blob: Blob; filename: string | undefined }> {
  const res = await send('GET', path)
  const filename = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1]
  return { blob: await res.blob(), filename }
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown, headers?: Record<string, string>) => request<T>('POST', path, { body, headers }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  del: <T>(path: string) => request<T>('DELETE', path),
  download,
  login: (username: string, password: string) => request<Tokens>('POST', '/auth/login', { body: { username, password }, anonymous: true }),
}

/** A query string from the set values only. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v))
  const s = p.toString()
  return s ? `?${s}` : ''
}
