import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import type { TestContext } from 'node:test'
import { newEnvelope, TOPICS, type AnyEnvelope, type Envelope, type EventData, type EventType } from '@brokerage/contracts'
import { AppError, createDb, createEventCodec, createGrpcClient, grpcService, type ErrorCode } from '@brokerage/platform'
import { createPgLogBus } from '@brokerage/platform/messaging/pglog'
import { createCollector, createTestDatabase, eventually } from '@brokerage/platform/testing'
import { CONSUMER_GROUP, startCustomerService } from '../src/app.js'

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
  // Torn down in reverse order of set-up: clients, then the service, then its databases.
  const cleanups: Array<() => unknown> = []
  const scope = { after: (fn: () => unknown) => void cleanups.push(fn) }
  t.after(async () => {
    for (const fn of cleanups.reverse()) await fn()
  })

  const databaseUrl = await createTestDatabase(scope, 'customer')
  const busUrl = await createTestDatabase(scope, 'bus')
  const svc = await startCustomerService({
    config: { databaseUrl, bus: { kind: 'pglog', url: busUrl }, httpPort: 0, grpcPort: 0, logLevel: 'silent' },
    // Cheaper hashes keep the suite fast; the default cost has its own test.
    passwordCost: 10,
  })
  scope.after(() => svc.stop())

  const address = `127.0.0.1:${svc.runtime.ports.grpc}`
  const customerClient = createGrpcClient(grpcService('customer', 'brokerage.customer.v1.CustomerService'), address, 'customer')
  const identityClient = createGrpcClient(grpcService('identity', 'brokerage.identity.v1.IdentityService'), address, 'identity')
  scope.after(() => customerClient.close())
  scope.after(() => identityClient.close())

  const db = createDb({ url: databaseUrl })
  scope.after(() => db.close())
  const bus = await createPgLogBus({ url: busUrl })
  scope.after(() => bus.close())
  const codec = createEventCodec()

  // Every answer the service gives, so a test can check no password ever left it.
  const answers: unknown[] = []
  const call = async <R = Json>(method: string, request: Json): Promise<R> => {
    const res = await customerClient.call<R>(method, request)
    answers.push(res)
    return res
  }
  const identity = async <R = Json>(method: string, request: Json): Promise<R> => {
    const res = await identityClient.call<R>(method, request)
    answers.push(res)
    return res
  }

  await bus.ensureTopic(TOPICS.customer)
  const events = createCollector<AnyEnvelope>()
  const consumer = await bus.consume({
    groupId: `test-${randomUUID()}`,
    topics: [TOPICS.customer],
    handleBatch: async (batch) => {
      for (const m of batch.messages) events.push((await codec.decode(m.value)) as AnyEnvelope)
    },
  })
  scope.after(() => consumer.stop())

  async function outboxDrained() {
    await eventually(async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox')).rows[0]!.n === 0, {
      what: 'the outbox to drain',
    })
  }

  /** Raw records on a topic, all partitions, once everything committed has been relayed. */
  async function records(topic: string) {
    await outboxDrained()
    const partitions = await bus.partitionsOf(topic).catch(() => 0)
    const all = []
    for (let p = 0; p < partitions; p++) all.push(...(await bus.read(topic, p, 0, 10_000)))
    return all
  }

  /** Every event the service has published so far (decoded), in no particular cross-partition order. */
  async function published(): Promise<AnyEnvelope[]> {
    return Promise.all((await records(TOPICS.customer)).map(async (r) => (await codec.decode(r.value)) as AnyEnvelope))
  }

  /** Everything a failed request must leave untouched: every table, and the events published. */
  async function snapshot() {
    const tables: Record<string, unknown[]> = {}
    for (const table of TABLES) tables[table] = (await db.query(`SELECT * FROM ${table} ORDER BY 1`)).rows
    return { tables, events: (await published()).map((e) => e.id).sort() }
  }

  /** Publishes an asset-service answer, as that service would, and returns the envelope. */
  async function publish<T extends EventType>(type: T, data: EventData<T>, envelope?: AnyEnvelope): Promise<AnyEnvelope> {
    const e = (envelope ?? newEnvelope(type, data)) as AnyEnvelope
    await bus.publish([{ topic: codec.topicOf(e.type), key: e.key, value: await codec.encode(e) }])
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
    published,
    records,
    snapshot,

    publish,

    /** Resolves once the service's consumer has handled everything published to it. */
    async settled() {
      await eventually(async () => (await bus.lag(CONSUMER_GROUP, [TOPICS.assetMovements])).every((p) => p.lag === 0), {
        what: 'the customer service to consume every answer',
      })
    },

    /** Asserts the call fails with `code` (and exactly these bad fields) and changes nothing at all. */
    async refuses(method: string, request: Json, code: ErrorCode, fields?: string[]): Promise<AppError> {
      const before = await snapshot()
      const err = await customerClient.call(method, request).then(
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

    async createCustomer(overrides: Json = {}, by: Json = ADMIN): Promise<Json> {
      return call('CreateCustomer', {
        actor: by,
        name: 'Ayşe Yılmaz',
        email: `ayse-${randomUUID()}@example.com`,
        password: PASSWORD,
        ...overrides,
      })
    },

    async createBroker(overrides: Json = {}): Promise<Json> {
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

/** The events of one type whose data has the given field values, from a list of envelopes. */
export function ofType<T extends EventType>(events: AnyEnvelope[], type: T, where: Record<string, unknown> = {}): Array<Envelope<T>> {
  const matches = (e: AnyEnvelope) =>
    e.type === type && Object.entries(where).every(([k, v]) => (e.data as Record<string, unknown>)[k] === v)
  return events.filter(matches) as unknown as Array<Envelope<T>>
}
