import type { Queryable } from '@brokerage/platform'
import type { Broker, Customer, CustomerStatus, Movement, MovementStatus, PageOf, Tier } from './domain.js'
import type { Page } from './validation.js'

// All SQL of the service. Every function takes the connection (pool or transaction) to run
// on, so a caller composes several into one transaction.

interface CustomerRow {
  id: string
  name: string
  email: string
  tier: Tier
  status: CustomerStatus
  broker_id: string | null
  created_at: Date
  updated_at: Date
}

interface MovementRow {
  id: string
  customer_id: string
  kind: Movement['kind']
  asset_name: string
  amount: number
  iban: string | null
  status: MovementStatus
  rejection_reason: string | null
  sent_at: Date | null
  created_at: Date
  updated_at: Date
}

const CUSTOMER_COLUMNS = 'id, name, email, tier, status, broker_id, created_at, updated_at'
const MOVEMENT_COLUMNS = 'id, customer_id, kind, asset_name, amount, iban, status, rejection_reason, sent_at, created_at, updated_at'

const toCustomer = (r: CustomerRow): Customer => ({
  id: r.id,
  name: r.name,
  email: r.email,
  tier: r.tier,
  status: r.status,
  brokerId: r.broker_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})

const toMovement = (r: MovementRow): Movement => ({
  id: r.id,
  customerId: r.customer_id,
  kind: r.kind,
  assetName: r.asset_name,
  amount: r.amount,
  iban: r.iban,
  status: r.status,
  rejectionReason: r.rejection_reason,
  sentAt: r.sent_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})

/** Row locks: FOR SHARE keeps the row as read until commit, FOR UPDATE also serialises writers. */
export type Lock = 'none' | 'share' | 'update'
const lockClause = (lock: Lock) => (lock === 'share' ? ' FOR SHARE' : lock === 'update' ? ' FOR UPDATE' : '')

async function paged<R extends object, T>(
  q: Queryable,
  from: string,
  where: string[],
  values: unknown[],
  columns: string,
  page: Page,
  map: (r: R) => T,
): Promise<PageOf<T>> {
  const condition = where.length ? `WHERE ${where.join(' AND ')}` : ''
  const count = await q.query<{ n: number }>(`SELECT count(*)::bigint AS n FROM ${from} ${condition}`, values)
  const rows = await q.query<R>(
    `SELECT ${columns} FROM ${from} ${condition} ORDER BY created_at DESC, seq DESC LIMIT $${values.length + 1} OFFSET $${values.length + 2}`,
    [...values, page.size, page.page * page.size],
  )
  return { content: rows.rows.map(map), page: page.page, size: page.size, totalElements: count.rows[0]!.n }
}

export function createStore() {
  return {
    async insertCustomer(q: Queryable, c: Customer): Promise<void> {
      await q.query(
        `INSERT INTO customers (id, name, email, tier, status, broker_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [c.id, c.name, c.email, c.tier, c.status, c.brokerId, c.createdAt, c.updatedAt],
      )
    },

    async customer(q: Queryable, id: string, lock: Lock = 'none'): Promise<Customer | null> {
      const { rows } = await q.query<CustomerRow>(`SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE id = $1${lockClause(lock)}`, [id])
      return rows[0] ? toCustomer(rows[0]) : null
    },

    listCustomers(
      q: Queryable,
      filter: { brokerId: string | null; tier: Tier | null; status: CustomerStatus | null },
      page: Page,
    ): Promise<PageOf<Customer>> {
      const where: string[] = []
      const values: unknown[] = []
      const add = (column: string, value: unknown) => {
        values.push(value)
        where.push(`${column} = $${values.length}`)
      }
      if (filter.brokerId) add('broker_id', filter.brokerId)
      if (filter.tier) add('tier', filter.tier)
      if (filter.status) add('status', filter.status)
      return paged(q, 'customers', where, values, CUSTOMER_COLUMNS, page, toCustomer)
    },

    async updateCustomer(
      q: Queryable,
      id: string,
      change: Partial<Pick<Customer, 'tier' | 'status' | 'brokerId'>>,
      at: Date,
    ): Promise<Customer> {
      const { rows } = await q.query<CustomerRow>(
        `UPDATE customers SET tier = coalesce($2, tier), status = coalesce($3, status),
           broker_id = CASE WHEN $4::boolean THEN $5::uuid ELSE broker_id END, updated_at = $6
         WHERE id = $1 RETURNING ${CUSTOMER_COLUMNS}`,
        [id, change.tier ?? null, change.status ?? null, change.brokerId !== undefined, change.brokerId ?? null, at],
      )
      return toCustomer(rows[0]!)
    },

    async insertBroker(q: Queryable, b: Broker): Promise<void> {
      await q.query('INSERT INTO brokers (id, name, email, created_at) VALUES ($1, $2, $3, $4)', [b.id, b.name, b.email, b.createdAt])
    },

    async broker(q: Queryable, id: string): Promise<Broker | null> {
      const { rows } = await q.query<Broker & { created_at: Date }>('SELECT id, name, email, created_at FROM brokers WHERE id = $1', [id])
      return rows[0] ? { id: rows[0].id, name: rows[0].name, email: rows[0].email, createdAt: rows[0].created_at } : null
    },

    listBrokers(q: Queryable, page: Page): Promise<PageOf<Broker>> {
      return paged(q, 'brokers', [], [], 'id, name, email, created_at', page, (r: Broker & { created_at: Date }) => ({
        id: r.id,
        name: r.name,
        email: r.email,
        createdAt: r.created_at,
      }))
    },

    async insertCredential(
      q: Queryable,
      c: { subject: string; username: string; role: 'CUSTOMER' | 'BROKER'; passwordHash: string; at: Date },
    ): Promise<void> {
      await q.query('INSERT INTO credentials (subject, username, role, password_hash, updated_at) VALUES ($1, $2, $3, $4, $5)', [
        c.subject,
        c.username,
        c.role,
        c.passwordHash,
        c.at,
      ])
    },

    async usernameTaken(q: Queryable, username: string): Promise<boolean> {
      const { rowCount } = await q.query('SELECT 1 FROM credentials WHERE username = $1', [username])
      return Boolean(rowCount)
    },

    /** A sign-in account with what the token issuer needs: a customer's status comes along. */
    async credential(
      q: Queryable,
      by: { username: string } | { subject: string },
    ): Promise<{
      subject: string
      username: string
      role: 'CUSTOMER' | 'BROKER'
      passwordHash: string
      status: CustomerStatus | null
    } | null> {
      const [column, value] = 'username' in by ? ['username', by.username] : ['subject', by.subject]
      const { rows } = await q.query<{
        subject: string
        username: string
        role: 'CUSTOMER' | 'BROKER'
        password_hash: string
        status: CustomerStatus | null
      }>(
        `SELECT cr.subject, cr.username, cr.role, cr.password_hash, c.status
           FROM credentials cr LEFT JOIN customers c ON c.id = cr.subject
          WHERE cr.${column} = $1`,
        [value],
      )
      const r = rows[0]
      return r ? { subject: r.subject, username: r.username, role: r.role, passwordHash: r.password_hash, status: r.status } : null
    },

    async setPassword(q: Queryable, subject: string, passwordHash: string, at: Date): Promise<void> {
      await q.query('UPDATE credentials SET password_hash = $2, updated_at = $3 WHERE subject = $1', [subject, passwordHash, at])
    },

    async insertMovement(q: Queryable, m: Movement, requestedBy: { subject: string; role: string }): Promise<void> {
      await q.query(
        `INSERT INTO movements (id, customer_id, kind, asset_name, amount, iban, status, rejection_reason, requested_by, requested_by_role,
           created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [
          m.id,
          m.customerId,
          m.kind,
          m.assetName,
          m.amount,
          m.iban,
          m.status,
          m.rejectionReason,
          requestedBy.subject,
          requestedBy.role,
          m.createdAt,
          m.updatedAt,
        ],
      )
    },

    async movement(q: Queryable, id: string, lock: Lock = 'none'): Promise<Movement | null> {
      const { rows } = await q.query<MovementRow>(`SELECT ${MOVEMENT_COLUMNS} FROM movements WHERE id = $1${lockClause(lock)}`, [id])
      return rows[0] ? toMovement(rows[0]) : null
    },

    listMovements(q: Queryable, customerId: string, page: Page): Promise<PageOf<Movement>> {
      return paged(q, 'movements', ['customer_id = $1'], [customerId], MOVEMENT_COLUMNS, page, toMovement)
    },

    async updateMovement(
      q: Queryable,
      id: string,
      change: { status: MovementStatus; rejectionReason?: string; sentAt?: Date },
      at: Date,
    ): Promise<void> {
      await q.query(
        `UPDATE movements SET status = $2, rejection_reason = coalesce($3, rejection_reason), sent_at = coalesce($4, sent_at), updated_at = $5
          WHERE id = $1`,
        [id, change.status, change.rejectionReason ?? null, change.sentAt ?? null, at],
      )
    },
  }
}

export type Store = ReturnType<typeof createStore>
