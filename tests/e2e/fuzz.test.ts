// Property-based fuzzing of every route of the gateway's OpenAPI document (fast-check): the
// requests are generated from the document itself, so a new route is fuzzed without a line here.
// FUZZ_SEED=<n> replays a run; the seed is printed at the start of each property.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import fc from 'fast-check'
import pg from 'pg'
import { startPlatform } from './harness.js'
import { createCustomer, deposit } from './helpers.js'
import { documentedRoutes, openApiDocument, type OpenApiDocument, type OpenApiOperation } from './authz-matrix.js'

type Schema = Record<string, any>

/** fc.assert, with the failed assertion's own message in the error (the report shows only the counterexample). */
async function check<T>(property: fc.IAsyncProperty<T>, params: fc.Parameters<T>) {
  const details = await fc.check(property, params)
  if (details.failed) {
    const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)
    throw new Error(`${cause}\nseed ${details.seed}, counterexample ${JSON.stringify(details.counterexample)?.slice(-600)}`)
  }
}

// Enough to reach every route many times over while the file stays near a minute.
const RUNS = Number(process.env.FUZZ_RUNS ?? 300)

/** Values the schema accepts. */
function valid(schema: Schema): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...(schema.enum as unknown[]))
  const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type ?? 'object']
  return fc.oneof(...types.map((type) => validOfType(schema, type)))
}

function validOfType(schema: Schema, type: string): fc.Arbitrary<unknown> {
  switch (type) {
    case 'null':
      return fc.constant(null)
    case 'boolean':
      return fc.boolean()
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000_000, max: Math.min(schema.maximum ?? 1_000_000, 1_000_000_000) })
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true })
    case 'string': {
      if (schema.format === 'uuid') return fc.uuid()
      if (schema.format === 'email') return fc.emailAddress().filter((e) => e.length <= (schema.maxLength ?? 254))
      if (schema.format === 'date-time')
        return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString())
      if (schema.format === 'uri') return fc.webPath().map((p) => `https://push.example${p}`.slice(0, schema.maxLength ?? 2000))
      if (schema.pattern) {
        const re = new RegExp(schema.pattern)
        const min = schema.minLength ?? 0
        const max = schema.maxLength ?? 1e4
        // Long minimums (keys of 86 characters) are rare in generated matches: filtering would never end.
        const filler = min > 8 ? ['a', 'A', '0'].find((c) => re.test(c.repeat(min))) : undefined
        if (filler) return fc.integer({ min, max: Math.min(max, min + 4) }).map((n) => filler.repeat(n))
        return fc.stringMatching(re).filter((x) => x.length >= min && x.length <= max)
      }
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) })
    }
    case 'array':
      return fc.array(valid(schema.items ?? {}), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 3, 3) })
    default: {
      const props: Record<string, Schema> = schema.properties ?? {}
      const required: string[] = schema.required ?? []
      return fc.record(Object.fromEntries(Object.entries(props).map(([k, s]) => [k, valid(s)])), {
        requiredKeys: required.filter((k) => k in props),
      })
    }
  }
}

/** A value of a type the schema does not take. */
function wrongType(schema: Schema): fc.Arbitrary<unknown> {
  const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type ?? 'object']
  const candidates: Array<[string, fc.Arbitrary<unknown>]> = [
    ['string', fc.string({ minLength: 1, maxLength: 8 }).map((s) => `x${s}`)],
    ['integer', fc.integer()],
    ['boolean', fc.boolean()],
    ['array', fc.constant([])],
    ['object', fc.constant({ nested: true })],
  ]
  const others = candidates.filter(([t]) => !types.includes(t) && !(t === 'integer' && types.includes('number')))
  return fc.oneof(...others.map(([, a]) => a))
}

/** A body the schema refuses: a required field of the wrong type, an unknown field, or no JSON at all. */
function invalidBody(schema: Schema): fc.Arbitrary<{ json?: unknown; raw?: string }> {
  const required: string[] = (schema.required ?? []).filter((k: string) => schema.properties?.[k])
  const kinds: Array<fc.Arbitrary<{ json?: unknown; raw?: string }>> = [
    valid(schema).map((v) => ({ json: { ...(v as object), unknownField: 1 } })),
    fc.constantFrom('{"', '[1,', 'not json', '{"a":}').map((raw) => ({ raw })),
  ]
  if (required.length) {
    kinds.push(
      fc
        .tuple(valid(schema), fc.constantFrom(...required))
        .chain(([v, k]) => wrongType(schema.properties[k]).map((bad) => ({ json: { ...(v as object), [k]: bad } }))),
    )
  }
  return fc.oneof(...kinds)
}

interface Route {
  method: string
  path: string
  op: OpenApiOperation
}

interface Ids {
  customer: string
  order: string
}

function pathOf(route: Route, params: Record<string, string>) {
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''))
}

/** Path parameters: the real ids (so the handler runs), unknown ones, or garbage. */
function pathParams(route: Route, ids: Ids): fc.Arbitrary<Record<string, string>> {
  const names = (route.op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name)
  return fc.record(
    Object.fromEntries(
      names.map((n) => [
        n,
        n === 'assetName'
          ? fc.constantFrom('AAPL', 'TRY', 'aapl', 'ZZZZ', '')
          : fc.oneof(fc.constantFrom(ids.customer, ids.order, randomUUID()), fc.string({ maxLength: 12 })),
      ]),
    ) as Record<string, fc.Arbitrary<string>>,
  )
}

function queryOf(route: Route, ids: Ids): fc.Arbitrary<string> {
  const params = (route.op.parameters ?? []).filter((p) => p.in === 'query')
  if (!params.length) return fc.constant('')
  const value = (p: (typeof params)[number]) =>
    p.name === 'customerId'
      ? fc.oneof(fc.constant(ids.customer), valid(p.schema).map(String), fc.string({ maxLength: 8 }))
      : fc.oneof(valid(p.schema).map(String), fc.string({ maxLength: 8 }))
  return fc
    .tuple(...params.map((p) => fc.option(value(p), { nil: undefined })))
    .map((vs) =>
      new URLSearchParams(params.flatMap((p, i): Array<[string, string]> => (vs[i] === undefined ? [] : [[p.name, vs[i]!]]))).toString(),
    )
}

const headerValue = fc.oneof(
  fc.uuid(),
  fc.string({ maxLength: 20 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
  fc.constant('é'),
)

test('when every documented route is called with generated input, then none answers 5xx, every 4xx has the error shape, and no rejected request changes anything', async (t) => {
  // Every generated request comes from one address: its limit is raised, so a 429 never stands in for the answer under test.
  const p = await startPlatform(t, { env: { RATE_LIMIT_PER_ADDRESS: '100000' } })
  const doc: OpenApiDocument = await openApiDocument(p.url)
  const routes: Route[] = documentedRoutes(doc).map((r) => {
    const [method, path] = r.split(' ') as [string, string]
    return { method, path, op: doc.paths[path]![method.toLowerCase()]! }
  })
  const admin = await p.login('admin', 'admin')
  const alice = await createCustomer(p, admin, { tier: 'VIP' })
  const aliceToken = await p.login(alice.email, alice.password)
  await deposit(p, admin, alice.id, 1_000_000)
  const order = await p.api('POST', '/api/orders', {
    token: admin,
    body: { customerId: alice.id, assetName: 'AAPL', side: 'BUY', size: 1, price: 1 },
    headers: { prefer: 'wait=10' },
  })
  assert.equal(order.body.status, 'CONFIRMED', JSON.stringify(order.body))
  const ids: Ids = { customer: alice.id, order: order.body.id }

  const bus = new pg.Pool({ connectionString: p.busUrl, max: 1 })
  bus.on('error', () => {})
  t.after(() => bus.end())
  const assetDb = p.db('asset')
  const orderDb = p.db('order')
  const customerDb = p.db('customer')
  const state = async () => ({
    events: (await bus.query('SELECT count(*)::int AS n FROM bus_log')).rows[0].n,
    balances: (await assetDb.query('SELECT customer_id, asset_name, size::text, usable_size::text FROM balances ORDER BY 1, 2')).rows,
    orders: (await orderDb.query('SELECT id, status FROM orders ORDER BY id')).rows,
    customers: (await customerDb.query('SELECT count(*)::int AS n FROM customers')).rows[0].n,
  })

  const send = async (
    route: Route,
    path: string,
    o: { token?: string; body?: { json?: unknown; raw?: string }; headers?: Record<string, string> },
  ) => {
    const headers: Record<string, string> = { ...o.headers }
    if (o.token) headers.authorization = `Bearer ${o.token}`
    const body = o.body?.raw ?? (o.body && 'json' in o.body ? JSON.stringify(o.body.json) : undefined)
    if (body !== undefined) headers['content-type'] ??= 'application/json'
    // A request that hangs is a defect as much as a 5xx: it fails with its route named.
    const res = await fetch(p.apiUrl(path), { method: route.method, headers, body, signal: AbortSignal.timeout(20_000) }).catch(
      (err: Error) => {
        throw new Error(`${route.method} ${path}: ${err.message}`)
      },
    )
    const text = await res.text()
    let parsed: any = text
    try {
      parsed = JSON.parse(text)
    } catch {}
    return { status: res.status, body: parsed, text }
  }
  const describe = (route: Route, path: string, r: { status: number; text: string }) =>
    `${route.method} ${path} → ${r.status} ${r.text.slice(0, 200)}`
  const errorShape = (route: Route, path: string, r: { status: number; body: any; text: string }) => {
    assert.ok(r.status < 500, `no 5xx: ${describe(route, path, r)}`)
    if (r.status >= 400) {
      assert.equal(typeof r.body?.error?.code, 'string', `error shape: ${describe(route, path, r)}`)
      assert.equal(typeof r.body?.error?.message, 'string', `error shape: ${describe(route, path, r)}`)
      assert.equal(typeof r.body?.requestId, 'string', `error shape: ${describe(route, path, r)}`)
    }
  }
  const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31)
  t.diagnostic(`fuzz seed ${seed} (replay: FUZZ_SEED=${seed})`)
  console.log(`fuzz seed ${seed} (replay: FUZZ_SEED=${seed})`)
  const isPublic = (r: Route) => r.path.startsWith('/.well-known/') || r.path.endsWith('/auth/login') || r.path.endsWith('/auth/refresh')
  const bodySchema = (r: Route) => r.op.requestBody?.content?.['application/json']?.schema

  // First the rejected requests, on a platform at rest, so their "no change" is exact.
  await p.atRest()
  const before = await state()
  const rejectable = routes.filter((r) => !isPublic(r) || bodySchema(r))
  const badToken = fc.constantFrom(undefined, 'garbage', `${aliceToken.slice(0, -4)}AAAA`, `${admin.split('.').slice(0, 2).join('.')}.`)
  const rejected = fc.constantFrom(...rejectable).chain((route) => {
    const schema = bodySchema(route)
    const ways: Array<fc.Arbitrary<{ route: Route; path: string; token?: string; body?: { json?: unknown; raw?: string } }>> = []
    if (!isPublic(route))
      ways.push(fc.tuple(pathParams(route, ids), badToken).map(([ps, token]) => ({ route, path: pathOf(route, ps), token })))
    if (schema && !/\/auth\/(logout|password)$/.test(route.path))
      ways.push(
        fc.tuple(invalidBody(schema), fc.constantFrom(admin, aliceToken)).map(([body, token]) => ({
          route,
          // The real ids: only the body is wrong.
          path: pathOf(route, { id: route.path.includes('/orders/') ? ids.order : ids.customer, assetName: 'AAPL' }),
          token,
          body,
        })),
      )
    return fc.oneof(...ways)
  })
  await check(
    fc.asyncProperty(rejected, async ({ route, path, token, body }) => {
      const r = await send(route, path, { token, body })
      errorShape(route, path, r)
      assert.ok(r.status >= 400 && r.status < 500, `rejected: ${describe(route, path, r)}`)
    }),
    { seed, numRuns: RUNS },
  )
  assert.deepEqual(await state(), before, 'no rejected request changed balances, orders, customers or the event log')

  // Then anything: valid and invalid bodies, queries, headers and tokens on every route.
  let tokens = { admin, alice: aliceToken }
  const anyRequest = fc.constantFrom(...routes).chain((route) => {
    const schema = bodySchema(route)
    return fc.record({
      route: fc.constant(route),
      params: pathParams(route, ids),
      query: queryOf(route, ids),
      who: fc.constantFrom<'admin' | 'alice' | 'none' | 'garbage'>('admin', 'alice', 'none', 'garbage'),
      body: schema
        ? fc.oneof(
            valid(schema).map((json) => ({ json })),
            invalidBody(schema),
          )
        : fc.constant(undefined),
      headers: fc.record(
        {
          'idempotency-key': headerValue,
          prefer: fc.constantFrom('wait=0', 'wait=5', 'wait=abc', 'respond-async'),
          'content-type': fc.constantFrom('application/json', 'text/plain', 'application/xml', 'application/json; charset=utf-8'),
          accept: fc.constantFrom('application/json', 'text/csv', '*/*'),
        },
        { requiredKeys: [] },
      ),
    })
  })
  await check(
    fc.asyncProperty(anyRequest, async ({ route, params, query, who, body, headers }) => {
      const path = pathOf(route, params) + (query ? `?${query}` : '')
      const token = who === 'admin' ? tokens.admin : who === 'alice' ? tokens.alice : who === 'garbage' ? 'garbage' : undefined
      if (process.env.FUZZ_TRACE) console.log(route.method, path)
      const r = await send(route, path, { token, body, headers })
      errorShape(route, path, r)
      // A sign-out, password change or suspension ends sessions: sign in again (when still allowed).
      if (r.status < 300 && /\/auth\/(logout|password)$|\/status$/.test(route.path)) {
        // Sign-ins are rate limited too: a refused one keeps the old token (its requests then answer 401).
        tokens = {
          admin: await p.login('admin', 'admin').catch(() => tokens.admin),
          alice: await p.login(alice.email, alice.password).catch(() => tokens.alice),
        }
      }
    }),
    { seed, numRuns: RUNS },
  )
})
