// A depth chart in SVG: cumulative size against price, bids left (green), asks right (red).
// A hand-drawn SVG rather than a charting library: market chart libraries (lightweight-charts)
// draw time series, while depth is price on the x axis; this is ~80 lines, no dependency,
// no canvas, and reads as text to a screen reader through its <title> and the table beside it.
// Coordinates are pixels (floats are fine there); prices and sizes are only read, never summed as floats.
import type { Level, OrderBook } from './api.ts'
import { useApp } from './context.tsx'
import { useT } from './i18n.ts'
import { formatMoney } from './money.ts'

const W = 640
const H = 240
const PAD = { l: 48, r: 12, t: 12, b: 28 }

function cumulative(levels: Level[]): { price: number; total: bigint }[] {
  let total = 0n
  return levels.map((l) => ({ price: l.price, total: (total += BigInt(l.size)) }))
}

export function DepthChart({ book }: { book: OrderBook }) {
  const { locale } = useApp()
  const t = useT()
  const bids = cumulative(book.bids)
  const asks = cumulative(book.asks)
  const prices = [...bids, ...asks].map((p) => p.price)
  let lo = Math.min(...prices)
  let hi = Math.max(...prices)
  // Room around the best and worst levels, so each side's area shows even with one level.
  const pad = Math.max(Math.ceil((hi - lo) / 4), Math.ceil(((lo + hi) / 2) * 0.01), 1)
  lo = Math.max(0, lo - pad)
  hi += pad
  const maxTotal = [...bids, ...asks].reduce((m, p) => (p.total > m ? p.total : m), 1n)
  const x = (price: number) => PAD.l + ((price - lo) / (hi - lo)) * (W - PAD.l - PAD.r)
  const y = (total: bigint) => H - PAD.b - (Number(total) / Number(maxTotal)) * (H - PAD.t - PAD.b)
  const base = H - PAD.b
  // Steps: each level holds its cumulative size until the next, worse price.
  const steps = (pts: { price: number; total: bigint }[]) => {
    if (pts.length === 0) return ''
    let d = `M${x(pts[0]!.price)},${base}`
    for (const p of pts) d += ` V${y(p.total)} H${x(p.price)}`
    return d
  }
  const area = (pts: { price: number; total: bigint }[], edge: number) => (pts.length === 0 ? '' : `${steps(pts)} H${edge} V${base} Z`)
  const bestBid = book.bids[0]
  const bestAsk = book.asks[0]
  const summary = t.depthSummary(
    book.assetName,
    book.bids.length,
    bestBid ? formatMoney(bestBid.price, locale) : null,
    book.asks.length,
    bestAsk ? formatMoney(bestAsk.price, locale) : null,
  )
  return (
    <figure className="depth">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="depth-title" width="100%">
        <title id="depth-title">{summary}</title>
        <line x1={PAD.l} x2={W - PAD.r} y1={base} y2={base} className="axis" />
        <line x1={PAD.l} x2={PAD.l} y1={PAD.t} y2={base} className="axis" />
        {bids.length > 0 && <path d={area(bids, PAD.l)} className="bids" />}
        {asks.length > 0 && <path d={area(asks, W - PAD.r)} className="asks" />}
        <text x={PAD.l} y={H - 8} className="tick">
          {formatMoney(lo, locale)}
        </text>
        <text x={W - PAD.r} y={H - 8} textAnchor="end" className="tick">
          {formatMoney(hi, locale)}
        </text>
        <text x={PAD.l - 4} y={PAD.t + 10} textAnchor="end" className="tick">
          {maxTotal.toString()}
        </text>
      </svg>
      <figcaption>{summary}</figcaption>
    </figure>
  )
}
