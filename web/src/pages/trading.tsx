// Balances, the order ticket, the order list and one order's page: what a customer trades
// with, and what staff see of a customer.
import { useMemo, useState, type FormEvent } from 'react'
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { ASSET_NAME, ASSET_NAME_RULE, ORDER_STATUSES } from '../../../packages/contracts/src/vocabulary.ts'
import {
  api,
  qs,
  type AuditEvent,
  type Balance,
  type Market,
  type Order,
  type OrderWithHistory,
  type Page,
  type Side,
  type Trade,
} from '../api.ts'
import { isStaff, useApp } from '../context.tsx'
import { CASH, formatAmount, formatMoney, MAX_SAFE, parseMoney, parseUnits, reservation } from '../money.ts'
import { useOrderStatus } from '../live.ts'
import { Link } from '../router.tsx'
import { Amount, Empty, Field, Form, FormError, isNotFound, Loading, Money, NotFound, Pager, Status, When } from '../ui.tsx'
import { OrderRows } from './order-rows.tsx'

export function useBalances(customerId: string) {
  return useQuery({ queryKey: ['balances', customerId], queryFn: () => api.get<Balance[]>(`/assets${qs({ customerId })}`) })
}

export function Balances({ customerId }: { customerId: string }) {
  const q = useBalances(customerId)
  return (
    <section aria-labelledby="balances-h">
      <h2 id="balances-h">Balances</h2>
      {q.isPending ? (
        <Loading what="balances" />
      ) : q.error ? (
        <FormError error={q.error} />
      ) : q.data.length === 0 ? (
        <Empty>No balances yet: a deposit creates the first one.</Empty>
      ) : (
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Scrollable table">
          <table className="balances">
            <thead>
              <tr>
                <th scope="col">Asset</th>
                <th scope="col">Size</th>
                <th scope="col">Usable</th>
                <th scope="col">Reserved</th>
              </tr>
            </thead>
            <tbody>
              {q.data.map((b) => (
                <tr key={b.assetName} data-asset={b.assetName}>
                  <th scope="row">{b.assetName}</th>
                  <td data-col="size">
                    <Amount asset={b.assetName} value={b.size} />
                  </td>
                  <td data-col="usable">
                    <Amount asset={b.assetName} value={b.usableSize} />
                  </td>
                  <td data-col="reserved">
                    <Amount asset={b.assetName} value={BigInt(b.size) - BigInt(b.usableSize)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

export function useMarkets() {
  return useQuery({ queryKey: ['markets'], queryFn: () => api.get<Market[]>('/markets'), staleTime: 60_000 })
}

/** BUY/SELL with size and price; shows what it reserves and refuses, before sending, what the API would refuse. */
export function OrderTicket({ customerId }: { customerId: string }) {
  const { locale } = useApp()
  const qc = useQueryClient()
  const balances = useBalances(customerId)
  const markets = useMarkets()
  const [side, setSide] = useState<Side>('BUY')
  const [asset, setAsset] = useState('AAPL')
  const [size, setSize] = useState('')
  const [price, setPrice] = useState('')
  const [touched, setTouched] = useState(false)
  const [placed, setPlaced] = useState<Order | null>(null)

  const sizeP = parseUnits(size)
  const priceP = parseMoney(price, locale)
  const assetError = !ASSET_NAME.test(asset) ? ASSET_NAME_RULE : asset === CASH ? 'TRY is cash, not a tradable asset' : undefined
  const reserve = sizeP.ok && priceP.ok ? reservation(side, sizeP.value, priceP.value) : null
  const reserveAsset = reserve ? (reserve.assetName ?? asset) : null
  const usable = balances.data?.find((b) => b.assetName === reserveAsset)?.usableSize ?? 0
  let reserveError: string | undefined
  if (reserve && sizeP.ok && priceP.ok) {
    if (sizeP.value * priceP.value > MAX_SAFE) reserveError = 'size × price is too large'
    else if (reserve.amount > BigInt(usable))
      reserveError = `Not enough usable ${reserveAsset}: ${formatAmount(reserveAsset!, usable, locale)} available`
  }

  const place = useMutation({
    mutationFn: () =>
      api.post<Order>(
        '/orders',
        { customerId, assetName: asset, side, size: Number(sizeP.ok && sizeP.value), price: Number(priceP.ok && priceP.value) },
        { 'idempotency-key': crypto.randomUUID() },
      ),
    onSuccess: (o) => {
      setPlaced(o)
      setSize('')
      setPrice('')
      setTouched(false)
      void qc.invalidateQueries({ queryKey: ['orders'] })
      void qc.invalidateQueries({ queryKey: ['balances'] })
    },
  })

  const valid = sizeP.ok && priceP.ok && !assetError && !reserveError
  const submit = (e: FormEvent) => {
    e.preventDefault()
    setTouched(true)
    setPlaced(null)
    if (valid) place.mutate()
  }
  const show = (err: string | undefined) => (touched ? err : undefined)

  return (
    <section aria-labelledby="ticket-h" className="card">
      <h2 id="ticket-h">Order ticket</h2>
      <Form onSubmit={submit} noValidate error={place.error}>
        <fieldset className="sides">
          <legend>Side</legend>
          {(['BUY', 'SELL'] as const).map((s) => (
            <label key={s} className={`side side-${s.toLowerCase()}`}>
              <input type="radio" name="side" value={s} checked={side === s} onChange={() => setSide(s)} /> {s}
            </label>
          ))}
        </fieldset>
        <Field
          label="Asset"
          value={asset}
          list="market-assets"
          autoCapitalize="characters"
          onChange={(e) => setAsset(e.target.value.toUpperCase())}
          name="assetName"
          error={show(assetError)}
        />
        <datalist id="market-assets">
          {markets.data?.map((m) => (
            <option key={m.assetName} value={m.assetName} />
          ))}
        </datalist>
        <Field
          label="Size (units)"
          inputMode="numeric"
          value={size}
          onChange={(e) => setSize(e.target.value)}
          name="size"
          error={show(sizeP.ok ? undefined : sizeP.error)}
        />
        <Field
          label="Limit price (₺ per unit)"
          inputMode="decimal"
          placeholder={locale === 'tr' ? '150,00' : '150.00'}
          value={price}
          onChange={(e) => setPrice(e.target.value)}
          name="price"
          error={show(priceP.ok ? undefined : priceP.error)}
        />
        <p className="reserve" aria-live="polite">
          Reserves:{' '}
          <strong data-testid="reserve">{reserve && reserveAsset ? formatAmount(reserveAsset, reserve.amount, locale) : '—'}</strong>
          {balances.data && reserveAsset && <span className="muted"> (usable {formatAmount(reserveAsset, usable, locale)})</span>}
        </p>
        {touched && reserveError && (
          <p className="error" role="alert">
            {reserveError}
          </p>
        )}
        <FormError />
        <button type="submit" className={`primary side-${side.toLowerCase()}`} disabled={place.isPending}>
          {place.isPending ? 'Placing…' : `Place ${side}`}
        </button>
        {placed && (
          <p className="ok" role="status">
            Order placed:{' '}
            <Link to={`/orders/${placed.id}`}>
              {placed.side} {placed.size} {placed.assetName}
            </Link>{' '}
            ({placed.status})
          </p>
        )}
      </Form>
    </section>
  )
}

const CANCELABLE = new Set(['PENDING', 'CONFIRMED', 'PARTIALLY_FILLED'])
const MATCHABLE = new Set(['CONFIRMED', 'PARTIALLY_FILLED'])

export function useOrderActions() {
  const qc = useQueryClient()
  const done = () => {
    void qc.invalidateQueries({ queryKey: ['orders'] })
    void qc.invalidateQueries({ queryKey: ['order'] })
  }
  const cancel = useMutation({ mutationFn: (id: string) => api.del<Order>(`/orders/${id}`), onSettled: done })
  const match = useMutation({ mutationFn: (id: string) => api.post<unknown>(`/orders/${id}/match`), onSettled: done })
  return { cancel, match }
}

export function OrderActions({ order }: { order: Order }) {
  const { me } = useApp()
  const { cancel, match } = useOrderActions()
  const open = CANCELABLE.has(order.status)
  return (
    <span className="actions">
      {isStaff(me) && MATCHABLE.has(order.status) && (
        <button type="button" onClick={() => match.mutate(order.id)} disabled={match.isPending} aria-label={`Match order ${order.id}`}>
          Match
        </button>
      )}
      {open && (
        <button
          type="button"
          className="danger"
          onClick={() => cancel.mutate(order.id)}
          disabled={cancel.isPending}
          aria-label={`Cancel order ${order.id}`}
        >
          Cancel
        </button>
      )}
      {(cancel.error || match.error) && (
        <small className="error" role="alert">
          {((cancel.error ?? match.error) as Error).message}
        </small>
      )}
    </span>
  )
}

export interface OrderFilter {
  assetName: string
  side: string
  status: string
  startDate: string
  endDate: string
}
const NO_FILTER: OrderFilter = { assetName: '', side: '', status: '', startDate: '', endDate: '' }

/** Orders with filters and paging, newest first; statuses change live (the feed invalidates ['orders']). */
export function OrderList({
  customerId,
  title = 'Orders',
  initial = {},
}: {
  customerId?: string | undefined
  title?: string
  initial?: Partial<OrderFilter>
}) {
  const [filter, setFilter] = useState<OrderFilter>({ ...NO_FILTER, ...initial })
  const [page, setPage] = useState(0)
  const [size, setSize] = useState(20)
  const params = {
    customerId,
    assetName: filter.assetName || undefined,
    side: filter.side || undefined,
    status: filter.status || undefined,
    // A date input is a calendar day; the API wants instants: the day's start, and the next day's start.
    startDate: filter.startDate ? `${filter.startDate}T00:00:00Z` : undefined,
    endDate: filter.endDate ? new Date(Date.parse(`${filter.endDate}T00:00:00Z`) + 86_400_000).toISOString() : undefined,
    page,
    size,
  }
  const q = useQuery({
    queryKey: ['orders', params],
    queryFn: () => api.get<Page<Order>>(`/orders${qs(params)}`),
    placeholderData: keepPreviousData,
  })
  const set = (k: keyof OrderFilter) => (e: { target: { value: string } }) => {
    setFilter({ ...filter, [k]: e.target.value })
    setPage(0)
  }
  return (
    <section aria-labelledby="orders-h">
      <h2 id="orders-h">{title}</h2>
      <Form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Order filters" error={q.error}>
        <Field
          label="Asset"
          value={filter.assetName}
          onChange={(e) => set('assetName')({ target: { value: e.target.value.toUpperCase() } })}
          name="assetName"
        />
        <Field label="Side" value={filter.side} onChange={set('side')}>
          <option value="">any</option>
          <option>BUY</option>
          <option>SELL</option>
        </Field>
        <Field label="Status" value={filter.status} onChange={set('status')}>
          <option value="">any</option>
          {ORDER_STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </Field>
        <Field label="From" type="date" name="startDate" value={filter.startDate} onChange={set('startDate')} />
        <Field label="To" type="date" name="endDate" value={filter.endDate} onChange={set('endDate')} />
        <Field label="Per page" value={String(size)} onChange={(e) => (setSize(Number(e.target.value)), setPage(0))}>
          {[20, 50, 100].map((n) => (
            <option key={n}>{n}</option>
          ))}
        </Field>
      </Form>
      {q.isPending ? (
        <Loading what="orders" />
      ) : q.error ? (
        <FormError error={q.error} fields={['assetName', 'startDate', 'endDate']} />
      ) : q.data.content.length === 0 ? (
        <Empty>No orders{Object.values(filter).some(Boolean) ? ' match these filters' : ' yet'}.</Empty>
      ) : (
        <>
          <OrderRows orders={q.data.content} showCustomer={customerId === undefined} />
          <Pager page={page} size={size} total={q.data.totalElements} onPage={setPage} />
        </>
      )}
    </section>
  )
}

export function OrderPage({ id }: { id: string }) {
  const { locale } = useApp()
  const order = useQuery({
    queryKey: ['order', id],
    queryFn: () => api.get<OrderWithHistory>(`/orders/${id}`),
    retry: (n, e) => !isNotFound(e) && n < 2,
  })
  const trades = useQuery({
    queryKey: ['order', id, 'trades'],
    queryFn: () => api.get<Trade[]>(`/orders/${id}/trades`),
    enabled: order.isSuccess,
  })
  const trail = useQuery({
    queryKey: ['trail', id],
    queryFn: () => api.get<Page<AuditEvent>>(`/audit/events${qs({ orderId: id, size: 100 })}`),
    enabled: order.isSuccess,
  })
  const liveStatus = useOrderStatus(id, order.data?.status ?? 'PENDING')
  if (order.isPending) return <Loading what="the order" />
  if (isNotFound(order.error)) return <NotFound what="order" />
  if (order.error) return <FormError error={order.error} />
  const o = { ...order.data, status: liveStatus }
  const filled = BigInt(o.filledSize)
  return (
    <article>
      <h1>
        {o.side} {o.size} {o.assetName} at {formatMoney(o.price, locale)} <Status status={o.status} />
      </h1>
      <dl className="facts">
        <dt>Order</dt>
        <dd className="mono">{o.id}</dd>
        <dt>Filled</dt>
        <dd>
          {filled.toString()} of {o.size}
        </dd>
        <dt>Limit value</dt>
        <dd>
          <Money minor={BigInt(o.size) * BigInt(o.price)} />
        </dd>
        {o.rejectionReason && (
          <>
            <dt>Reason</dt>
            <dd>{o.rejectionReason}</dd>
          </>
        )}
        <dt>Placed</dt>
        <dd>
          <When iso={o.createdAt} />
        </dd>
      </dl>
      <OrderActions order={o} />
      <section aria-labelledby="history-h">
        <h2 id="history-h">Status history</h2>
        <ol className="timeline">
          {o.history.map((h, i) => (
            <li key={i}>
              <Status status={h.status} /> <When iso={h.at} /> {h.eventType && <span className="muted">{h.eventType}</span>}
              {h.reason && <span className="error"> {h.reason}</span>}
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="trades-h">
        <h2 id="trades-h">Trades</h2>
        {trades.isPending ? (
          <Loading what="trades" />
        ) : trades.error ? (
          <FormError error={trades.error} />
        ) : trades.data.length === 0 ? (
          <Empty>No fills yet.</Empty>
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-label="Scrollable table">
            <table>
              <thead>
                <tr>
                  <th scope="col">Size</th>
                  <th scope="col">Price</th>
                  <th scope="col">Value</th>
                  <th scope="col">Settled</th>
                </tr>
              </thead>
              <tbody>
                {trades.data.map((t) => (
                  <tr key={t.tradeId}>
                    <td>{t.size}</td>
                    <td>
                      <Money minor={t.price} />
                    </td>
                    <td>
                      <Money minor={BigInt(t.size) * BigInt(t.price)} />
                    </td>
                    <td>
                      <When iso={t.settledAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="saga-h">
        <h2 id="saga-h">Saga timeline</h2>
        {trail.isPending ? (
          <Loading what="the audit trail" />
        ) : trail.error ? (
          <FormError error={trail.error} />
        ) : trail.data.content.length === 0 ? (
          <Empty>The audit service has not recorded this order yet.</Empty>
        ) : (
          <SagaTimeline events={trail.data.content} />
        )}
      </section>
    </article>
  )
}

function SagaTimeline({ events }: { events: AuditEvent[] }) {
  const total = useMemo(() => events.reduce((s, e) => s + e.sincePreviousMs, 0), [events])
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label="Scrollable table">
      <table className="saga">
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Service</th>
            <th scope="col">At</th>
            <th scope="col">After previous</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.sequence}>
              <td>{e.type}</td>
              <td>{e.service ?? '—'}</td>
              <td>
                <When iso={e.occurredAt} />
              </td>
              <td className="num">{e.sincePreviousMs} ms</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={3}>
              Total
            </th>
            <td className="num">{total} ms</td>
          </tr>
        </tfoot>
      </table>
    </div>
  )
}
