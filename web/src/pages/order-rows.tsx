import { memo, useRef } from 'react'
import { useQueries } from '@tanstack/react-query'
import { useVirtualizer } from '@tanstack/react-virtual'
import type { Order } from '../api.ts'
import { useT } from '../i18n.ts'
import { useOrderStatus } from '../live.ts'
import { Link } from '../router.tsx'
import { Money, Status, When } from '../ui.tsx'
import { fetchOrderPage, ORDER_PAGE, OrderActions, type OrderQuery } from './trading.tsx'

// Every row is this tall (styles.css: one line of text and a button): rows are not measured,
// since measuring each as it mounts would force a layout per row while scrolling.
const ROW_PX = 48

/**
 * `total` orders in one scrolling table: the rows in view (and a few either side) are rendered,
 * spacer rows stand for the rest, and each page of 100 is fetched when one of its rows comes
 * into view. A row whose page is still on its way shows as loading, so scrolling never waits.
 */
export function OrderRows({ params, total, showCustomer }: { params: OrderQuery; total: number; showCustomer: boolean }) {
  const t = useT()
  const scroller = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_PX,
    overscan: 8,
  })
  const items = virtualizer.getVirtualItems()
  // The pages of the rows in view, and the next one once half of the last is in view: scrolling on
  // finds it fetched already.
  const ahead = Math.min(total - 1, (items.at(-1)?.index ?? 0) + ORDER_PAGE / 2)
  const pageNumbers = [...new Set([...items.map((i) => i.index), ahead].map((i) => Math.floor(i / ORDER_PAGE)))]
  const pages = useQueries({
    queries: pageNumbers.map((n) => ({ queryKey: ['orders', params, n], queryFn: () => fetchOrderPage(params, n) })),
  })
  const orderAt = (index: number): Order | undefined =>
    pages[pageNumbers.indexOf(Math.floor(index / ORDER_PAGE))]?.data?.content[index % ORDER_PAGE]
  const columns = showCustomer ? 9 : 8
  const before = items[0]?.start ?? 0
  const after = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0)
  return (
    <div ref={scroller} className="table-wrap scroll-rows" tabIndex={0} role="region" aria-label={t.ordersScrollable}>
      <table className="orders" aria-rowcount={total + 1}>
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col">{t.order}</th>
            {showCustomer && <th scope="col">{t.customer}</th>}
            <th scope="col">{t.side}</th>
            <th scope="col">{t.asset}</th>
            <th scope="col">{t.filledOfSize}</th>
            <th scope="col">{t.limit}</th>
            <th scope="col">{t.status}</th>
            <th scope="col">{t.placed}</th>
            <th scope="col">
              <span className="sr-only">{t.actions}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {before > 0 && <Spacer height={before} columns={columns} />}
          {items.map((item) => {
            const order = orderAt(item.index)
            return order ? (
              <OrderRow key={order.id} order={order} showCustomer={showCustomer} index={item.index} />
            ) : (
              <tr key={`loading-${item.index}`} aria-rowindex={item.index + 2}>
                <td colSpan={columns} className="muted">
                  {t.loadingRow}
                </td>
              </tr>
            )
          })}
          {after > 0 && <Spacer height={after} columns={columns} />}
        </tbody>
      </table>
    </div>
  )
}

function Spacer({ height, columns }: { height: number; columns: number }) {
  return (
    <tr aria-hidden="true" className="spacer">
      <td colSpan={columns} style={{ height }} />
    </tr>
  )
}

// Memoized: a page arriving re-renders the list, and the rows already shown have not changed.
const OrderRow = memo(function OrderRow({ order, showCustomer, index }: { order: Order; showCustomer: boolean; index: number }) {
  const status = useOrderStatus(order.id, order.status)
  const o = { ...order, status }
  return (
    <tr data-order={o.id} aria-rowindex={index + 2}>
      <td>
        <Link to={`/orders/${o.id}`} className="mono">
          {o.id.slice(0, 8)}
        </Link>
      </td>
      {showCustomer && (
        <td>
          <Link to={`/customers/${o.customerId}`} className="mono">
            {o.customerId.slice(0, 8)}
          </Link>
        </td>
      )}
      <td className={`side-${o.side.toLowerCase()}`}>{o.side}</td>
      <td>{o.assetName}</td>
      <td className="num">
        {o.filledSize} / {o.size}
      </td>
      <td>
        <Money minor={o.price} />
      </td>
      <td data-col="status">
        <Status status={o.status} />
      </td>
      <td>
        <When iso={o.createdAt} />
      </td>
      <td>
        <OrderActions order={o} />
      </td>
    </tr>
  )
})
