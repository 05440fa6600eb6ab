import type { Order } from '../api.ts'
import { useOrderStatus } from '../live.ts'
import { Link } from '../router.tsx'
import { Money, Status, When } from '../ui.tsx'
import { OrderActions } from './trading.tsx'

export function OrderRows({ orders, showCustomer }: { orders: Order[]; showCustomer: boolean }) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label="Scrollable table">
      <table className="orders">
        <thead>
          <tr>
            <th scope="col">Order</th>
            {showCustomer && <th scope="col">Customer</th>}
            <th scope="col">Side</th>
            <th scope="col">Asset</th>
            <th scope="col">Filled / size</th>
            <th scope="col">Limit</th>
            <th scope="col">Status</th>
            <th scope="col">Placed</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {orders.map((o) => (
            <OrderRow key={o.id} order={o} showCustomer={showCustomer} />
          ))}
        </tbody>
      </table>
    </div>
  )
}

function OrderRow({ order, showCustomer }: { order: Order; showCustomer: boolean }) {
  const status = useOrderStatus(order.id, order.status)
  const o = { ...order, status }
  return (
    <tr data-order={o.id}>
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
}
