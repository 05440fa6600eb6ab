// The authorization matrix: every route of the gateway's OpenAPI document × every kind of
// caller, with the status the caller gets. One table, read by authz-matrix.test.ts, which
// fails when the document lists a route with no row here: a new route states who may use it.
//
// Every request names the resources of one customer, "the CUSTOMER" (assigned to "the BROKER");
// the other broker and the other customer are signed in as themselves and ask for the same
// ids. SPEC §1: another's data answers 404 (as a missing id would), a role that may not use a
// route at all answers 403, a token that is absent, expired or signed by another key 401.

export interface OpenApiOperation {
  parameters?: Array<{ in: 'path' | 'query' | 'header'; name: string; required?: boolean; schema: Record<string, unknown> }>
  requestBody?: { content?: { 'application/json'?: { schema: Record<string, unknown> } } }
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>
}

/** The gateway's OpenAPI document (GET /docs/json). */
export async function openApiDocument(gatewayUrl: string): Promise<OpenApiDocument> {
  return (await (await fetch(`${gatewayUrl}/docs/json`)).json()) as OpenApiDocument
}

/** Its routes, as `METHOD /path` with the document's own paths (the matrix's keys). */
export const documentedRoutes = (doc: OpenApiDocument) =>
  Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))

export const CALLERS = ['admin', 'broker', 'otherBroker', 'customer', 'otherCustomer', 'none', 'expired', 'foreign'] as const
export type Caller = (typeof CALLERS)[number]

/** What a cell's request may use: the actors' ids and a few resources made beforehand. */
export interface MatrixContext {
  customerId: string
  customerEmail: string
  customerPassword: string
  brokerId: string
  /** An order of the customer's that stays resting (cancels and matches get fresh ones). */
  orderId: string
  /** A fresh resting order of the customer's, for routes that end the order they act on. */
  freshOrder(): Promise<string>
  /** A fresh refresh token of the customer's (each one is spent by its use). */
  freshRefreshToken(): Promise<string>
  /** A fresh push subscription of the customer's. */
  freshPushSubscription(): Promise<string>
  /** A string unique to the cell, for emails. */
  unique(): string
  /** The password of the caller's own account (for the password change). */
  ownPassword(caller: Caller): string
}

export interface Request {
  path: string
  body?: unknown
  headers?: Record<string, string>
}

export interface Row {
  /** The request, made anew for each caller (path relative to the document's own paths). */
  request(ctx: MatrixContext, caller: Caller): Request | Promise<Request>
  /** Each caller needs a session of their own for this route (it ends or changes the session). */
  freshSession?: boolean
  expect: Record<Caller, number>
}

// The common shapes of the expectations.
const signedOut = { none: 401, expired: 401, foreign: 401 }
const anyone = (status: number) => ({
  admin: status,
  broker: status,
  otherBroker: status,
  customer: status,
  otherCustomer: status,
  ...signedOut,
})
/** The customer's own data: admin, their broker and themselves; the others see a missing id. */
const owned = (status: number) => ({ admin: status, broker: status, otherBroker: 404, customer: status, otherCustomer: 404, ...signedOut })
const adminOnly = (status: number) => ({ admin: status, broker: 403, otherBroker: 403, customer: 403, otherCustomer: 403, ...signedOut })
const publicRoute = (status: number) => ({ ...anyone(status), none: status, expired: status, foreign: status })

const ORDER = { assetName: 'AAPL', side: 'BUY', size: 1, price: 1 }
const IBAN = 'TR330006100519786457841326'

export const MATRIX: Record<string, Row> = {
  'GET /.well-known/jwks.json': { request: () => ({ path: '/.well-known/jwks.json' }), expect: publicRoute(200) },
  'GET /.well-known/openid-configuration': { request: () => ({ path: '/.well-known/openid-configuration' }), expect: publicRoute(200) },
  'POST /api/v1/auth/login': {
    request: (c) => ({ path: '/api/v1/auth/login', body: { username: c.customerEmail, password: c.customerPassword } }),
    expect: publicRoute(200),
  },
  'POST /api/v1/auth/refresh': {
    request: async (c) => ({ path: '/api/v1/auth/refresh', body: { refresh_token: await c.freshRefreshToken() } }),
    expect: publicRoute(200),
  },
  'POST /api/v1/auth/logout': { request: () => ({ path: '/api/v1/auth/logout' }), freshSession: true, expect: anyone(204) },
  'POST /api/v1/auth/password': {
    // To the same password: the change happens (and ends the session), the account stays usable.
    request: (c, caller) => ({
      path: '/api/v1/auth/password',
      body: { currentPassword: c.ownPassword(caller), newPassword: c.ownPassword(caller) },
    }),
    freshSession: true,
    expect: { ...anyone(204), admin: 403 },
  },
  'GET /api/v1/auth/me': { request: () => ({ path: '/api/v1/auth/me' }), expect: anyone(200) },

  'POST /api/v1/customers': {
    request: (c) => ({ path: '/api/v1/customers', body: { name: 'Matrix', email: `${c.unique()}@example.com`, password: 'long enough' } }),
    expect: { ...anyone(201), customer: 403, otherCustomer: 403 },
  },
  'GET /api/v1/customers': { request: () => ({ path: '/api/v1/customers' }), expect: anyone(200) },
  'GET /api/v1/customers/{id}': { request: (c) => ({ path: `/api/v1/customers/${c.customerId}` }), expect: owned(200) },
  'PUT /api/v1/customers/{id}/tier': {
    request: (c) => ({ path: `/api/v1/customers/${c.customerId}/tier`, body: { tier: 'VIP' } }),
    expect: adminOnly(200),
  },
  'PUT /api/v1/customers/{id}/status': {
    request: (c) => ({ path: `/api/v1/customers/${c.customerId}/status`, body: { status: 'ACTIVE' } }),
    expect: adminOnly(200),
  },
  'PUT /api/v1/customers/{id}/broker': {
    request: (c) => ({ path: `/api/v1/customers/${c.customerId}/broker`, body: { brokerId: c.brokerId } }),
    expect: adminOnly(200),
  },
  'POST /api/v1/customers/{id}/deposits': {
    request: (c) => ({ path: `/api/v1/customers/${c.customerId}/deposits`, body: { amount: 100 } }),
    expect: owned(202),
  },
  'POST /api/v1/customers/{id}/withdrawals': {
    request: (c) => ({ path: `/api/v1/customers/${c.customerId}/withdrawals`, body: { amount: 1, iban: IBAN } }),
    expect: owned(202),
  },
  'GET /api/v1/customers/{id}/movements': { request: (c) => ({ path: `/api/v1/customers/${c.customerId}/movements` }), expect: owned(200) },
  'POST /api/v1/brokers': {
    request: (c) => ({ path: '/api/v1/brokers', body: { name: 'Matrix', email: `${c.unique()}@example.com`, password: 'long enough' } }),
    expect: adminOnly(201),
  },
  'GET /api/v1/brokers': { request: () => ({ path: '/api/v1/brokers' }), expect: adminOnly(200) },

  'GET /api/v1/assets': { request: (c) => ({ path: `/api/v1/assets?customerId=${c.customerId}` }), expect: owned(200) },
  'POST /api/v1/orders': {
    request: (c) => ({ path: '/api/v1/orders', body: { customerId: c.customerId, ...ORDER } }),
    expect: owned(202),
  },
  'GET /api/v1/orders': { request: () => ({ path: '/api/v1/orders' }), expect: anyone(200) },
  'GET /api/v1/orders/{id}': { request: (c) => ({ path: `/api/v1/orders/${c.orderId}` }), expect: owned(200) },
  'DELETE /api/v1/orders/{id}': { request: async (c) => ({ path: `/api/v1/orders/${await c.freshOrder()}` }), expect: owned(202) },
  'POST /api/v1/orders/{id}/match': {
    request: async (c) => ({ path: `/api/v1/orders/${await c.freshOrder()}/match` }),
    expect: { ...owned(202), customer: 403, otherCustomer: 403 },
  },
  'GET /api/v1/orders/{id}/trades': { request: (c) => ({ path: `/api/v1/orders/${c.orderId}/trades` }), expect: owned(200) },
  'GET /api/v1/markets': { request: () => ({ path: '/api/v1/markets' }), expect: anyone(200) },
  'PUT /api/v1/markets/{assetName}': {
    request: () => ({ path: '/api/v1/markets/AAPL', body: { crossing: false } }),
    expect: adminOnly(200),
  },
  'GET /api/v1/orderbook/{assetName}': { request: () => ({ path: '/api/v1/orderbook/AAPL' }), expect: anyone(200) },

  'GET /api/v1/notifications': { request: (c) => ({ path: `/api/v1/notifications?customerId=${c.customerId}` }), expect: owned(200) },
  'GET /api/v1/notifications/preferences': {
    request: (c) => ({ path: `/api/v1/notifications/preferences?customerId=${c.customerId}` }),
    expect: owned(200),
  },
  'PUT /api/v1/notifications/preferences': {
    request: (c) => ({
      path: '/api/v1/notifications/preferences',
      body: { customerId: c.customerId, preferences: [{ eventType: 'OrderFilled', channel: 'EMAIL', enabled: true }] },
    }),
    expect: owned(200),
  },
  'GET /api/v1/notifications/contact': {
    request: (c) => ({ path: `/api/v1/notifications/contact?customerId=${c.customerId}` }),
    expect: owned(200),
  },
  'PUT /api/v1/notifications/contact': {
    request: (c) => ({ path: '/api/v1/notifications/contact', body: { customerId: c.customerId, phone: null } }),
    expect: owned(200),
  },
  'POST /api/v1/notifications/push-subscriptions': {
    request: (c) => ({
      path: '/api/v1/notifications/push-subscriptions',
      body: {
        customerId: c.customerId,
        endpoint: `https://push.example/${c.unique()}`,
        keys: { p256dh: 'a'.repeat(87), auth: 'b'.repeat(22) },
      },
    }),
    expect: owned(201),
  },
  'DELETE /api/v1/notifications/push-subscriptions/{id}': {
    request: async (c) => ({
      path: `/api/v1/notifications/push-subscriptions/${await c.freshPushSubscription()}?customerId=${c.customerId}`,
    }),
    expect: owned(204),
  },

  // The audit trail is the admin's, and each customer's own; brokers have none.
  'GET /api/v1/audit/events': {
    request: (c) => ({ path: `/api/v1/audit/events?customerId=${c.customerId}` }),
    expect: { ...owned(200), broker: 403, otherBroker: 403 },
  },
  'GET /api/v1/audit/reports/compliance': {
    request: (c) => ({ path: `/api/v1/audit/reports/compliance?customerId=${c.customerId}` }),
    expect: { ...owned(200), broker: 403, otherBroker: 403 },
  },
  'GET /api/v1/audit/analytics': { request: () => ({ path: '/api/v1/audit/analytics' }), expect: adminOnly(200) },

  // The live feed's WebSocket: the token is checked first; a plain GET (no upgrade) is then told to upgrade.
  'GET /api/v1/ws': { request: () => ({ path: '/api/v1/ws' }), expect: anyone(400) },
}
