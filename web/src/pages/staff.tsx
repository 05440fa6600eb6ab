// Broker and admin pages: customers, one customer's account, open orders to match, markets
// with their depth, and the audit service's analytics.
import { useState, type FormEvent } from 'react'
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { ASSET_NAME, ASSET_NAME_RULE, CUSTOMER_STATUSES, TIERS } from '../../../packages/contracts/src/vocabulary.ts'
import { api, qs, type Analytics, type Broker, type Customer, type Market, type OrderBook, type Page } from '../api.ts'
import { useApp } from '../context.tsx'
import { DepthChart } from '../depth-chart.tsx'
import { Link, navigate } from '../router.tsx'
import { Empty, Field, Form, FormError, isNotFound, Loading, Money, NotFound, Pager, TableWrap, When } from '../ui.tsx'
import { useT } from '../i18n.ts'
import { ComplianceReport } from './account.tsx'
import { Funds } from './funds.tsx'
import { Balances, OrderList, OrderTicket, useMarkets } from './trading.tsx'

export function CustomersPage() {
  const { me } = useApp()
  const t = useT()
  const [page, setPage] = useState(0)
  const q = useQuery({
    queryKey: ['customers', page],
    queryFn: () => api.get<Page<Customer>>(`/customers${qs({ page, size: 20 })}`),
    placeholderData: keepPreviousData,
  })
  return (
    <>
      <section aria-labelledby="customers-h">
        <h1 id="customers-h">{t.customers}</h1>
        {q.isPending ? (
          <Loading what={t.what.customers} />
        ) : q.error ? (
          <FormError error={q.error} />
        ) : q.data.content.length === 0 ? (
          <Empty>{t.noCustomers}</Empty>
        ) : (
          <>
            <TableWrap>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t.name}</th>
                    <th scope="col">{t.email}</th>
                    <th scope="col">{t.tier}</th>
                    <th scope="col">{t.status}</th>
                  </tr>
                </thead>
                <tbody>
                  {q.data.content.map((c) => (
                    <tr key={c.id}>
                      <td>
                        <Link to={`/customers/${c.id}`}>{c.name}</Link>
                      </td>
                      <td>{c.email}</td>
                      <td>{c.tier}</td>
                      <td>{c.status}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
            <Pager page={page} size={20} total={q.data.totalElements} onPage={setPage} />
          </>
        )}
      </section>
      <CreateCustomer admin={me.role === 'ADMIN'} />
      {me.role === 'ADMIN' && <Brokers />}
    </>
  )
}

function CreateCustomer({ admin }: { admin: boolean }) {
  const t = useT()
  const qc = useQueryClient()
  const [form, setForm] = useState({ name: '', email: '', password: '', tier: 'STANDARD' })
  const create = useMutation({
    mutationFn: () => api.post<Customer>('/customers', admin ? form : { ...form, tier: undefined }),
    onSuccess: (c) => {
      void qc.invalidateQueries({ queryKey: ['customers'] })
      navigate(`/customers/${c.id}`)
    },
  })
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    create.mutate()
  }
  return (
    <Form className="card" onSubmit={submit} aria-labelledby="create-h" error={create.error}>
      <h2 id="create-h">{t.newCustomer}</h2>
      <Field label={t.name} name="name" value={form.name} onChange={set('name')} required />
      <Field label={t.email} name="email" type="email" value={form.email} onChange={set('email')} required />
      <Field
        label={t.password}
        name="password"
        type="password"
        autoComplete="new-password"
        value={form.password}
        onChange={set('password')}
        required
        hint={t.passwordHint}
      />
      {admin && (
        <Field label={t.tier} name="tier" value={form.tier} onChange={set('tier')}>
          {TIERS.map((x) => (
            <option key={x}>{x}</option>
          ))}
        </Field>
      )}
      <FormError />
      <button type="submit" className="primary" disabled={create.isPending}>
        {t.createCustomer}
      </button>
    </Form>
  )
}

function Brokers() {
  const t = useT()
  const qc = useQueryClient()
  const q = useQuery({ queryKey: ['brokers'], queryFn: () => api.get<Page<Broker>>('/brokers?size=100') })
  const [form, setForm] = useState({ name: '', email: '', password: '' })
  const create = useMutation({
    mutationFn: () => api.post<Broker>('/brokers', form),
    onSuccess: () => {
      setForm({ name: '', email: '', password: '' })
      void qc.invalidateQueries({ queryKey: ['brokers'] })
    },
  })
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value })
  return (
    <section aria-labelledby="brokers-h">
      <h2 id="brokers-h">{t.brokers}</h2>
      {q.data && q.data.content.length === 0 && <Empty>{t.noBrokers}</Empty>}
      <ul>
        {q.data?.content.map((b) => (
          <li key={b.id}>
            {b.name} &lt;{b.email}&gt;
          </li>
        ))}
      </ul>
      <Form
        className="card"
        aria-label={t.newBroker}
        error={create.error}
        onSubmit={(e) => {
          e.preventDefault()
          create.mutate()
        }}
      >
        <Field label={t.brokerName} name="name" value={form.name} onChange={set('name')} />
        <Field label={t.brokerEmail} name="email" type="email" value={form.email} onChange={set('email')} />
        <Field
          label={t.brokerPassword}
          name="password"
          type="password"
          autoComplete="new-password"
          value={form.password}
          onChange={set('password')}
        />
        <FormError />
        <button type="submit">{t.createBroker}</button>
      </Form>
    </section>
  )
}

export function CustomerPage({ id }: { id: string }) {
  const { me } = useApp()
  const t = useT()
  const q = useQuery({
    queryKey: ['customer', id],
    queryFn: () => api.get<Customer>(`/customers/${id}`),
    retry: (n, e) => !isNotFound(e) && n < 2,
  })
  if (q.isPending) return <Loading what={t.what.customer} />
  if (isNotFound(q.error)) return <NotFound what="customer" />
  if (q.error) return <FormError error={q.error} />
  const c = q.data
  return (
    <>
      <h1>{c.name}</h1>
      <p>
        {c.email} · {c.tier} · {c.status} · {t.since} <When iso={c.createdAt} />
      </p>
      {me.role === 'ADMIN' && <CustomerSettings customer={c} />}
      <div className="grid2">
        <Balances customerId={id} />
        <OrderTicket customerId={id} />
      </div>
      <OrderList customerId={id} title={t.theirOrders} />
      <Funds customerId={id} />
      {me.role === 'ADMIN' && <ComplianceReport customerId={id} />}
    </>
  )
}

function CustomerSettings({ customer }: { customer: Customer }) {
  const t = useT()
  const qc = useQueryClient()
  const brokers = useQuery({ queryKey: ['brokers'], queryFn: () => api.get<Page<Broker>>('/brokers?size=100') })
  const done = (c: Customer) => qc.setQueryData(['customer', customer.id], c)
  const tier = useMutation({ mutationFn: (t: string) => api.put<Customer>(`/customers/${customer.id}/tier`, { tier: t }), onSuccess: done })
  const status = useMutation({
    mutationFn: (s: string) => api.put<Customer>(`/customers/${customer.id}/status`, { status: s }),
    onSuccess: done,
  })
  const broker = useMutation({
    mutationFn: (b: string) => api.put<Customer>(`/customers/${customer.id}/broker`, { brokerId: b || null }),
    onSuccess: done,
  })
  return (
    <section className="card settings" aria-label={t.accountSettings}>
      <Field
        label={t.tier}
        value={customer.tier}
        onChange={(e) => tier.mutate(e.target.value)}
        error={(tier.error as Error | null)?.message}
      >
        {TIERS.map((x) => (
          <option key={x}>{x}</option>
        ))}
      </Field>
      <Field
        label={t.status}
        value={customer.status}
        onChange={(e) => status.mutate(e.target.value)}
        error={(status.error as Error | null)?.message}
      >
        {CUSTOMER_STATUSES.map((s) => (
          <option key={s}>{s}</option>
        ))}
      </Field>
      <Field
        label={t.broker}
        value={customer.brokerId ?? ''}
        onChange={(e) => broker.mutate(e.target.value)}
        error={(broker.error as Error | null)?.message}
      >
        <option value="">{t.none}</option>
        {brokers.data?.content.map((b) => (
          <option key={b.id} value={b.id}>
            {b.name}
          </option>
        ))}
      </Field>
    </section>
  )
}

export function OpenOrdersPage() {
  const t = useT()
  return (
    <>
      <h1>{t.openOrders}</h1>
      <p className="muted">{t.matchExplained}</p>
      <OrderList title={t.resting} initial={{ status: 'CONFIRMED' }} />
    </>
  )
}

export function MarketsPage() {
  const { me } = useApp()
  const t = useT()
  const qc = useQueryClient()
  const markets = useMarkets()
  const [asset, setAsset] = useState('AAPL')
  const [added, setAdded] = useState('')
  const set = useMutation({
    mutationFn: (m: { assetName: string; crossing: boolean }) => api.put<Market>(`/markets/${m.assetName}`, { crossing: m.crossing }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['markets'] }),
  })
  const addError = added && !ASSET_NAME.test(added) ? ASSET_NAME_RULE : undefined
  const admin = me.role === 'ADMIN'
  return (
    <>
      <section aria-labelledby="markets-h">
        <h1 id="markets-h">{t.markets}</h1>
        {markets.isPending ? (
          <Loading what={t.what.markets} />
        ) : markets.error ? (
          <FormError error={markets.error} />
        ) : (
          <TableWrap>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.asset}</th>
                  <th scope="col">{t.crossing}</th>
                  <th scope="col">{t.changed}</th>
                  <th scope="col">
                    <span className="sr-only">{t.depth}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {markets.data.length === 0 && (
                  <tr>
                    <td colSpan={4} className="muted">
                      {t.noMarkets}
                    </td>
                  </tr>
                )}
                {markets.data.map((m) => (
                  <tr key={m.assetName} data-market={m.assetName}>
                    <th scope="row">{m.assetName}</th>
                    <td>
                      <label>
                        <input
                          type="checkbox"
                          checked={m.crossing}
                          disabled={!admin || set.isPending}
                          onChange={(e) => set.mutate({ assetName: m.assetName, crossing: e.target.checked })}
                        />{' '}
                        {t.crossingOf(m.assetName)}
                      </label>
                    </td>
                    <td>{m.updatedAt ? <When iso={m.updatedAt} /> : '—'}</td>
                    <td>
                      <button type="button" onClick={() => setAsset(m.assetName)}>
                        {t.depthOf(m.assetName)}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        {admin && (
          <Form
            className="inline"
            aria-label={t.crossForm}
            error={set.error}
            onSubmit={(e) => {
              e.preventDefault()
              if (added && !addError) set.mutate({ assetName: added, crossing: true })
            }}
          >
            <Field
              label={t.assetToCross}
              name="assetName"
              value={added}
              onChange={(e) => setAdded(e.target.value.toUpperCase())}
              error={addError}
            />
            <button type="submit">{t.crossOn}</button>
            <FormError />
          </Form>
        )}
      </section>
      <OrderBookView asset={asset} onAsset={setAsset} />
    </>
  )
}

function OrderBookView({ asset, onAsset }: { asset: string; onAsset(a: string): void }) {
  const t = useT()
  const valid = ASSET_NAME.test(asset)
  // The live feed invalidates ['orderbook'] on every order event; the interval covers what it does not carry.
  const q = useQuery({
    queryKey: ['orderbook', asset],
    queryFn: () => api.get<OrderBook>(`/orderbook/${asset}?depth=50`),
    enabled: valid,
    refetchInterval: 5_000,
  })
  return (
    <section aria-labelledby="book-h">
      <h2 id="book-h">{t.bookOf(asset)}</h2>
      <Field
        label={t.asset}
        value={asset}
        onChange={(e) => onAsset(e.target.value.toUpperCase())}
        error={valid ? undefined : ASSET_NAME_RULE}
      />
      {q.isPending ? (
        valid && <Loading what={t.what.book} />
      ) : q.error ? (
        <FormError error={q.error} />
      ) : q.data.bids.length + q.data.asks.length === 0 ? (
        <Empty>{t.noResting(asset)}</Empty>
      ) : (
        <>
          <DepthChart book={q.data} />
          <BookTable book={q.data} />
        </>
      )}
    </section>
  )
}

function BookTable({ book }: { book: OrderBook }) {
  const t = useT()
  const rows = Math.max(book.bids.length, book.asks.length)
  return (
    <TableWrap>
      <table className="book">
        <caption className="sr-only">{t.levelsOf(book.assetName)}</caption>
        <thead>
          <tr>
            <th scope="col">{t.bidOrders}</th>
            <th scope="col">{t.bidSize}</th>
            <th scope="col">{t.bid}</th>
            <th scope="col">{t.ask}</th>
            <th scope="col">{t.askSize}</th>
            <th scope="col">{t.askOrders}</th>
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: Math.min(rows, 10) }, (_, i) => {
            const b = book.bids[i]
            const a = book.asks[i]
            return (
              <tr key={i}>
                <td>{b?.orders}</td>
                <td className="num">{b?.size}</td>
                <td className="side-buy">{b && <Money minor={b.price} />}</td>
                <td className="side-sell">{a && <Money minor={a.price} />}</td>
                <td className="num">{a?.size}</td>
                <td>{a?.orders}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </TableWrap>
  )
}

export function AnalyticsPage() {
  const t = useT()
  const q = useQuery({ queryKey: ['analytics'], queryFn: () => api.get<Analytics>('/audit/analytics') })
  if (q.isPending) return <Loading what={t.what.analytics} />
  if (q.error) return <FormError error={q.error} />
  const a = q.data
  return (
    <>
      <h1>{t.analytics}</h1>
      <section aria-labelledby="vol-h">
        <h2 id="vol-h">{t.volume}</h2>
        {a.volume.length === 0 ? (
          <Empty>{t.noTrades}</Empty>
        ) : (
          <TableWrap>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.day}</th>
                  <th scope="col">{t.asset}</th>
                  <th scope="col">{t.trades}</th>
                  <th scope="col">{t.size}</th>
                  <th scope="col">{t.notional}</th>
                </tr>
              </thead>
              <tbody>
                {a.volume.map((v) => (
                  <tr key={v.day + v.assetName}>
                    <td>{v.day}</td>
                    <td>{v.assetName}</td>
                    <td className="num">{v.trades}</td>
                    <td className="num">{v.size}</td>
                    <td>
                      <Money minor={v.notional} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>
      <div className="grid2">
        <section aria-labelledby="st-h">
          <h2 id="st-h">{t.finalStatuses}</h2>
          {a.orderStatuses.length === 0 ? (
            <Empty>{t.noOrders}</Empty>
          ) : (
            <ul className="bars">
              {a.orderStatuses.map((s) => (
                <li key={s.status}>
                  {s.status}: <strong>{s.orders}</strong>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="saga-d-h">
          <h2 id="saga-d-h">{t.sagaDurations}</h2>
          {a.sagaDurations.length === 0 ? (
            <Empty>{t.noSagas}</Empty>
          ) : (
            <TableWrap>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t.saga}</th>
                    <th scope="col">{t.count}</th>
                    <th scope="col">p50</th>
                    <th scope="col">p95</th>
                    <th scope="col">p99</th>
                    <th scope="col">max</th>
                  </tr>
                </thead>
                <tbody>
                  {a.sagaDurations.map((s) => (
                    <tr key={s.name}>
                      <td>{s.name}</td>
                      <td className="num">{s.count}</td>
                      <td className="num">{s.p50Ms} ms</td>
                      <td className="num">{s.p95Ms} ms</td>
                      <td className="num">{s.p99Ms} ms</td>
                      <td className="num">{s.maxMs} ms</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
        </section>
      </div>
      <section aria-labelledby="reasons-h">
        <h2 id="reasons-h">{t.reasons}</h2>
        {a.reasons.length === 0 ? (
          <Empty>{t.noReasons}</Empty>
        ) : (
          <ul>
            {a.reasons.map((r) => (
              <li key={r.eventType + r.reason}>
                {r.eventType} · {r.reason}: <strong>{r.count}</strong>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  )
}
