import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import type { TestContext } from 'node:test'
import { newEnvelope, TOPICS, type AnyEnvelope, type EventData, type EventType } from '@brokerage/contracts'
import type { Actor, CreateBrokerRequest, CreateCustomerRequest, GrpcMethod, GrpcRequest } from '@brokerage/contracts/grpc'
import { AppError, type ErrorCode } from '@brokerage/platform'
import { serviceUnderTest } from '@brokerage/platform/testing'
import { CONSUMER_GROUP, startCustomerService } from '../src/app.js'

export { ofType } from '@brokerage/platform/testing'

// One customer service per test, in-process, on its own database and its own bus database,
// called over real gRPC. Input events are published as the asset service would; output
// events are read back from the bus.

export type Json = Record<string, unknown>
export type ActorRole = 'CUSTOMER' | 'BROKER' | 'ADMIN'

export const PASSWORD = 'correct horse battery'
export const IBAN = 'TR330006100519786457841326'

export const actor = (role: ActorRole, subject: string = role === 'ADMIN' ? 'admin' : randomUUID()) => ({
  subject,
  role,
  request_id: `req-${randomUUID()}`,
})
export const ADMIN = actor('ADMIN')

const TABLES = ['customers', 'brokers', 'credentials', 'movements', 'payouts', 'idempotency_keys'] as const

export async function startHarness(t: TestContext) {
  const sut = await serviceUnderTest(t, { name: 'customer', outputs: [TOPICS.customer], group: CONSUMER_GROUP })
  const { db, bus, codec, events, records } = sut
  // Cheaper hashes keep the suite fast; the default cost has its own test.
  const svc = await sut.start((config) => startCustomerService({ config, passwordCost: 10 }))
  const customerClient = sut.client(svc, 'customer')
  const identityClient = sut.client(svc, 'identity')

  // Every answer the service gives, so a test can check no password ever left it.
  const answers: unknown[] = []
  const call = async <M extends GrpcMethod<'customer'>>(method: M, request: GrpcRequest<'customer', M>) => {
    const res = await customerClient.call(method, request)
    answers.push(res)
    return res
  }
  const identity = async <M extends GrpcMethod<'identity'>>(method: M, request: GrpcRequest<'identity', M>) => {
    const res = await identityClient.call(method, request)
    answers.push(res)
    return res
  }

  // Bad input on purpose: what a client may put on the wire, whatever the types allow.
  const unchecked = {
    customer: (method: string, request: Json) =>
      customerClient.call(method as GrpcMethod<'customer'>, request as never) as Promise<unknown>,
    identity: (method: string, request: Json) =>
      identityClient.call(method as GrpcMethod<'identity'>, request as never) as Promise<unknown>,
  }

  /** Every event the service has published so far (decoded), in no particular cross-partition order. */
  const published = sut.emitted

  /** Everything a failed request must leave untouched: every table, and the events published. */
  async function snapshot() {
    const tables: Record<string, unknown[]> = {}
    for (const table of TABLES) tables[table] = (await db.query(`SELECT * FROM ${table} ORDER BY 1`)).rows
    return { tables, events: (await published()).map((e) => e.id).sort() }
  }

  /** Publishes an asset-service answer, as that service would, and returns the envelope. */
  async function publish<T extends EventType>(type: T, data: EventData<T>, envelope?: AnyEnvelope): Promise<AnyEnvelope> {
    const e = (envelope ?? newEnvelope(type, data)) as AnyEnvelope
    await sut.publish(e)
    return e
  }

  return {
    db,
    bus,
    codec,
    events,
    answers,
    call,
    identity,
    unchecked,
    published,
    records,
    snapshot,

    publish,

    /** Resolves once the service's consumer has handled everything published to it. */
    settled: () => sut.settled([TOPICS.assetMovements]),

    /** Asserts the call fails with `code` (and exactly these bad fields) and changes nothing at all. */
    async refuses(method: string, request: Json, code: ErrorCode, fields?: string[]): Promise<AppError> {
      const before = await snapshot()
      const err = await unchecked.customer(method, request).then(
        (res) => assert.fail(`${method} answered ${JSON.stringify(res)}, expected ${code}`),
        (e: unknown) => e,
      )
      assert.ok(err instanceof AppError, String(err))
      assert.equal(err.code, code, `${method}: ${err.message} ${JSON.stringify(err.details)}`)
      if (fields) {
        const got = (err.details as Array<{ field: string; message: string }>).map((d) => d.field).sort()
        assert.deepEqual(got, [...fields].sort(), JSON.stringify(err.details))
        for (const d of err.details as Array<{ message: unknown }>) assert.equal(typeof d.message, 'string')
      }
      assert.deepEqual(await snapshot(), before, `${method} refused with ${code} but changed something`)
      return err
    },

    async createCustomer(overrides: CreateCustomerRequest = {}, by: Actor = ADMIN) {
      return call('CreateCustomer', {
        actor: by,
        name: 'Ayşe Yılmaz',
        email: `ayse-${randomUUID()}@example.com`,
        password: PASSWORD,
        ...overrides,
      })
    },

    async createBroker(overrides: CreateBrokerRequest = {}) {
      return call('CreateBroker', {
        actor: ADMIN,
        name: 'Bora Broker',
        email: `bora-${randomUUID()}@example.com`,
        password: PASSWORD,
        ...overrides,
      })
    },

    async movement(id: string) {
      const { rows } = await db.query('SELECT * FROM movements WHERE id = $1', [id])
      return rows[0] as Json | undefined
    },
  }
}

// Not Awaited<…>: its recursive thenable check on this object hits TypeScript's instantiation depth limit.
export type Harness = ReturnType<typeof startHarness> extends Promise<infer H> ? H : never
