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
import { CASH, formatAmount, formatMoney, formatUnits, MAX_AMOUNT, parseMoney, parseUnits, reservation } from '../money.ts'
import { useOrderStatus } from '../live.ts'
import { Link, replaceSearch, useLocation } from '../router.tsx'
import { Amount, dayRange, Empty, Field, Form, FormError, isNotFound, Loading, Money, NotFound, Status, TableWrap, When } from '../ui.tsx'
import { OrderRows } from './order-rows.tsx'
import { useT } from '../i18n.ts'

export function useBalances(customerId: string) {
  return useQuery({ queryKey: ['balances', customerId], queryFn: () => api.get<Balance[]>(`/assets${qs({ customerId })}`) })
}

export function Balances({ customerId }: { customerId: string }) {
  const t = useT()
  const q = useBalances(customerId)
  return (
    <section aria-labelledby="balances-h">
      <h2 id="balances-h">{t.balances}</h2>
      {q.isPending ? (
        <Loading what={t.what.balances} />
      ) : q.error ? (
        <FormError error={q.error} />
      ) : q.data.length === 0 ? (
        <Empty>{t.noBalances}</Empty>
      ) : (
        <TableWrap>
          <table className="balances">
            <thead>
              <tr>
                <th scope="col">{t.asset}</th>
                <th scope="col">{t.size}</th>
                <th scope="col">{t.usable}</th>
                <th scope="col">{t.reserved}</th>
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
        </TableWrap>
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
  const t = useT()
  const qc = useQueryClient()
  const balances = useBalances(customerId)
  const markets = useMarkets()
  const [side, setSide] = useState<Side>('BUY')
  const [asset, setAsset] = useState('AAPL')
  const [size, setSize] = useState('')
  const [price, setPrice] = useState('')
  const [touched, setTouched] = useState(false)
  const [placed, setPlaced] = useState<Order | null>(null)

  const sizeP = parseUnits(size, locale)
  const priceP = parseMoney(price, locale)
  const assetError = !ASSET_NAME.test(asset) ? ASSET_NAME_RULE : asset === CASH ? t.cashNotTradable : undefined
  const reserve = sizeP.ok && priceP.ok ? reservation(side, sizeP.value, priceP.value) : null
  const reserveAsset = reserve ? (reserve.assetName ?? asset) : null
  const usable = balances.data?.find((b) => b.assetName === reserveAsset)?.usableSize ?? 0
  let reserveError: string | undefined
  if (reserve && sizeP.ok && priceP.ok) {
    if (sizeP.value * priceP.value > MAX_AMOUNT) reserveError = t.tooLarge
    else if (reserve.amount > BigInt(usable)) reserveError = t.notEnough(reserveAsset!, formatAmount(reserveAsset!, usable, locale))
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
      <h2 id="ticket-h">{t.ticket}</h2>
      <Form onSubmit={submit} noValidate error={place.error}>
        <fieldset className="sides">
          <legend>{t.side}</legend>
          {(['BUY', 'SELL'] as const).map((s) => (
            <label key={s} className={`side side-${s.toLowerCase()}`}>
              <input type="radio" name="side" value={s} checked={side === s} onChange={() => setSide(s)} /> {s}
            </label>
          ))}
        </fieldset>
        <Field
          label={t.asset}
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
          label={t.sizeUnits}
          inputMode="numeric"
          value={size}
          onChange={(e) => setSize(e.target.value)}
          name="size"
          error={show(sizeP.ok ? undefined : sizeP.error)}
        />
        <Field
          label={t.limitPrice}
          inputMode="decimal"
          placeholder={locale === 'tr' ? '150,00' : '150.00'}
          value={price}
          onChange={(e) => setPrice(e.target.value)}
          name="price"
          error={show(priceP.ok ? undefined : priceP.error)}
        />
        <p className="reserve" aria-live="polite">
          {t.reserves}{' '}
          <strong data-testid="reserve">{reserve && reserveAsset ? formatAmount(reserveAsset, reserve.amount, locale) : '—'}</strong>
          {balances.data && reserveAsset && <span className="muted">{t.usableNote(formatAmount(reserveAsset, usable, locale))}</span>}
        </p>
        {touched && reserveError && (
          <p className="error" role="alert">
            {reserveError}
          </p>
        )}
        <FormError />
        <button type="submit" className={`primary side-${side.toLowerCase()}`} disabled={place.isPending}>
          {place.isPending ? t.placing : t.place(side)}
        </button>
        {placed && (
          <p className="ok" role="status">
            {t.orderPlaced}{' '}
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
  // A finished order (most of a long list) has no actions, and so no mutation hooks to set up.
  return CANCELABLE.has(order.status) ? <OpenOrderActions order={order} /> : null
}

function OpenOrderActions({ order }: { order: Order }) {
  const { me } = useApp()
  const t = useT()
  const { cancel, match } = useOrderActions()
  const open = CANCELABLE.has(order.status)
  return (
    <span className="actions">
      {isStaff(me) && MATCHABLE.has(order.status) && (
        <button type="button" onClick={() => match.mutate(order.id)} disabled={match.isPending} aria-label={t.matchOrder(order.id)}>
          {t.match}
        </button>
      )}
      {open && (
        <button
          type="button"
          className="danger"
          onClick={() => cancel.mutate(order.id)}
          disabled={cancel.isPending}
          aria-label={t.cancelOrder(order.id)}
        >
          {t.cancel}
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
// The filter's names in the address bar, so a reload, a shared link or Back keeps it.
const FILTER_PARAMS: Record<keyof OrderFilter, string> = {
  assetName: 'asset',
  side: 'side',
  status: 'status',
  startDate: 'from',
  endDate: 'to',
}
const NO_FILTER: OrderFilter = { assetName: '', side: '', status: '', startDate: '', endDate: '' }

/**
 * Orders with filters, newest first, as one scrolling list however many there are: only the
 * rows in view are in the page (virtualized), and the API is asked for the pages of 100 (its
 * largest) those rows fall in, as they come into view. Statuses change live: the feed
 * invalidates ['orders'], which refetches only the pages in view.
 */
export function OrderList({
  customerId,
  title,
  initial = {},
}: {
  customerId?: string | undefined
  title?: string
  initial?: Partial<OrderFilter>
}) {
  const { locale } = useApp()
  const t = useT()
  const { search } = useLocation()
  const [filter, setFilter] = useState<OrderFilter>(() => {
    const f = { ...NO_FILTER, ...initial }
    for (const [k, name] of Object.entries(FILTER_PARAMS)) f[k as keyof OrderFilter] = search.get(name) ?? f[k as keyof OrderFilter]
    return f
  })
  const days = dayRange(filter.startDate, filter.endDate)
  const params = {
    customerId,
    assetName: filter.assetName || undefined,
    side: filter.side || undefined,
    status: filter.status || undefined,
    startDate: days.from,
    endDate: days.to,
  }
  const set = (k: keyof OrderFilter) => (e: { target: { value: string } }) => {
    const next = { ...filter, [k]: e.target.value }
    setFilter(next)
    replaceSearch(Object.fromEntries(Object.entries(FILTER_PARAMS).map(([key, name]) => [name, next[key as keyof OrderFilter]])))
  }
  const first = useQuery({ queryKey: ['orders', params, 0], queryFn: () => fetchOrderPage(params, 0), placeholderData: keepPreviousData })
  const total = first.data?.totalElements ?? 0
  return (
    <section aria-labelledby="orders-h">
      <h2 id="orders-h">
        {title ?? t.nav.orders} {first.data && <small className="muted count">({formatUnits(total, locale)})</small>}
      </h2>
      <Form className="filters" onSubmit={(e) => e.preventDefault()} aria-label={t.orderFilters} error={first.error}>
        <Field
          label={t.asset}
          value={filter.assetName}
          onChange={(e) => set('assetName')({ target: { value: e.target.value.toUpperCase() } })}
          name="assetName"
        />
        <Field label={t.side} value={filter.side} onChange={set('side')}>
          <option value="">{t.any}</option>
          <option>BUY</option>
          <option>SELL</option>
        </Field>
        <Field label={t.status} value={filter.status} onChange={set('status')}>
          <option value="">{t.any}</option>
          {ORDER_STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </Field>
        <Field label={t.from} type="date" name="startDate" value={filter.startDate} onChange={set('startDate')} />
        <Field label={t.to} type="date" name="endDate" value={filter.endDate} onChange={set('endDate')} />
      </Form>
      {first.isPending ? (
        <Loading what={t.what.orders} />
      ) : first.error ? (
        <FormError error={first.error} fields={['assetName', 'startDate', 'endDate']} />
      ) : total === 0 ? (
        <Empty>{Object.values(filter).some(Boolean) ? t.noOrdersMatch : t.noOrders}</Empty>
      ) : (
        // Keyed by the filter: a new filter starts at the top with fresh measurements.
        <OrderRows key={JSON.stringify(params)} params={params} total={total} showCustomer={customerId === undefined} />
      )}
    </section>
  )
}

export type OrderQuery = Record<string, string | undefined>
export const ORDER_PAGE = 100

export const fetchOrderPage = (params: OrderQuery, page: number) =>
  api.get<Page<Order>>(`/orders${qs({ ...params, page, size: ORDER_PAGE })}`)

export function OrderPage({ id }: { id: string }) {
  const { locale } = useApp()
  const t = useT()
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
  if (order.isPending) return <Loading what={t.what.order} />
  if (isNotFound(order.error)) return <NotFound what="order" />
  if (order.error) return <FormError error={order.error} />
  const o = { ...order.data, status: liveStatus }
  const filled = BigInt(o.filledSize)
  return (
    <article>
      <h1>
        {t.orderTitle(o.side, o.size, o.assetName, formatMoney(o.price, locale))} <Status status={o.status} />
      </h1>
      <dl className="facts">
        <dt>{t.order}</dt>
        <dd className="mono">{o.id}</dd>
        <dt>{t.filled}</dt>
        <dd>{t.filledOf(filled.toString(), o.size)}</dd>
        <dt>{t.limitValue}</dt>
        <dd>
          <Money minor={BigInt(o.size) * BigInt(o.price)} />
        </dd>
        {o.rejectionReason && (
          <>
            <dt>{t.reason}</dt>
            <dd>{o.rejectionReason}</dd>
          </>
        )}
        <dt>{t.placed}</dt>
        <dd>
          <When iso={o.createdAt} />
        </dd>
      </dl>
      <OrderActions order={o} />
      <section aria-labelledby="history-h">
        <h2 id="history-h">{t.statusHistory}</h2>
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
        <h2 id="trades-h">{t.trades}</h2>
        {trades.isPending ? (
          <Loading what={t.what.trades} />
        ) : trades.error ? (
          <FormError error={trades.error} />
        ) : trades.data.length === 0 ? (
          <Empty>{t.noFills}</Empty>
        ) : (
          <TableWrap>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.size}</th>
                  <th scope="col">{t.price}</th>
                  <th scope="col">{t.value}</th>
                  <th scope="col">{t.settled}</th>
                </tr>
              </thead>
              <tbody>
                {trades.data.map((tr) => (
                  <tr key={tr.tradeId}>
                    <td>{tr.size}</td>
                    <td>
                      <Money minor={tr.price} />
                    </td>
                    <td>
                      <Money minor={BigInt(tr.size) * BigInt(tr.price)} />
                    </td>
                    <td>
                      <When iso={tr.settledAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>
      <section aria-labelledby="saga-h">
        <h2 id="saga-h">{t.sagaTimeline}</h2>
        {trail.isPending ? (
          <Loading what={t.what.trail} />
        ) : trail.error ? (
          <FormError error={trail.error} />
        ) : trail.data.content.length === 0 ? (
          <Empty>{t.notAudited}</Empty>
        ) : (
          <SagaTimeline events={trail.data.content} />
        )}
      </section>
    </article>
  )
}

function SagaTimeline({ events }: { events: AuditEvent[] }) {
  const t = useT()
  const total = useMemo(() => events.reduce((s, e) => s + e.sincePreviousMs, 0), [events])
  return (
    <TableWrap>
      <table className="saga">
        <thead>
          <tr>
            <th scope="col">{t.event}</th>
            <th scope="col">{t.service}</th>
            <th scope="col">{t.at}</th>
            <th scope="col">{t.afterPrevious}</th>
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
              {t.total}
            </th>
            <td className="num">{total} ms</td>
          </tr>
        </tfoot>
      </table>
    </TableWrap>
  )
}
