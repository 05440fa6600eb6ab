// The live feed (/api/ws): every event about the signed-in customer (or, for staff, every
// customer they may see) invalidates the queries it changes, so lists and balances refetch
// and change on screen without a reload. The socket carries no replay, so after a reconnect
// everything is refetched once.
import { useEffect, useState, useSyncExternalStore } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { session } from './api.ts'

export type LiveState = 'connecting' | 'live' | 'offline'

// The feed reads the processor's events too, so it may tell of a fill before the order service
// has applied it: a refetch at that moment still answers the old status. So the status each
// event carries is kept here and shown when it is further along than what was fetched (an
// order's status only moves forward), and order queries are refetched again a little later.
const RANK: Record<string, number> = { PENDING: 0, CONFIRMED: 1, PARTIALLY_FILLED: 2 }
const rank = (s: string) => RANK[s] ?? 3
const liveStatuses = new Map<string, string>()
const statusListeners = new Set<() => void>()
let statusVersion = 0

function noteStatus(orderId: string, status: string) {
  const known = liveStatuses.get(orderId)
  if (known && rank(known) >= rank(status)) return
  liveStatuses.set(orderId, status)
  statusVersion++
  statusListeners.forEach((fn) => fn())
}

/** The order's status: the fetched one, or the live feed's when that is further along. */
export function useOrderStatus(orderId: string, fetched: string): string {
  useSyncExternalStore(
    (fn) => {
      statusListeners.add(fn)
      return () => void statusListeners.delete(fn)
    },
    () => statusVersion,
  )
  return laterStatus(fetched, liveStatuses.get(orderId))
}

/** Of a fetched status and one the feed told, the one further along (statuses only move forward). */
export function laterStatus(fetched: string, live: string | undefined): string {
  return live !== undefined && rank(live) > rank(fetched) ? live : fetched
}

const FOLLOW_UPS_MS = [1_000, 3_000]

interface LiveMessage {
  type: string
  category?: 'order' | 'trade' | 'balance' | 'notification'
  customerId?: string
  status?: string
  data?: { orderId?: string; assetName?: string }
}

export function useLiveFeed(enabled: boolean, staff: boolean): LiveState {
  const qc = useQueryClient()
  const [state, setState] = useState<LiveState>('connecting')
  useEffect(() => {
    if (!enabled) return
    let ws: WebSocket | null = null
    let stopped = false
    let attempt = 0
    let timer: ReturnType<typeof setTimeout> | undefined
    const followUps: ReturnType<typeof setTimeout>[] = []
    const connect = async () => {
      // An expired access token is refused at the upgrade: refresh first when there is none.
      if (!session.token) await session.refresh()
      if (stopped || !session.token) return
      const proto = location.protocol === 'https:' ? 'wss' : 'ws'
      ws = new WebSocket(`${proto}://${location.host}/api/ws?access_token=${encodeURIComponent(session.token)}`)
      ws.onopen = () => {
        attempt = 0
        if (staff) ws!.send(JSON.stringify({ type: 'subscribe', customerId: '*' }))
      }
      ws.onmessage = (m) => {
        const msg = JSON.parse(String(m.data)) as LiveMessage
        if (msg.type === 'ready') {
          setState('live')
          void qc.invalidateQueries()
          return
        }
        if (msg.type !== 'event') return
        switch (msg.category) {
          case 'balance':
            void qc.invalidateQueries({ queryKey: ['balances'] })
            void qc.invalidateQueries({ queryKey: ['movements'] })
            break
          case 'order':
          case 'trade': {
            if (msg.status && msg.data?.orderId) noteStatus(msg.data.orderId, msg.status)
            const refetch = () => {
              for (const key of ['orders', 'order', 'orderbook', 'trail', 'balances']) void qc.invalidateQueries({ queryKey: [key] })
            }
            refetch()
            for (const ms of FOLLOW_UPS_MS) followUps.push(setTimeout(refetch, ms))
            break
          }
          case 'notification':
            void qc.invalidateQueries({ queryKey: ['notifications'] })
            break
        }
      }
      ws.onclose = (e) => {
        setState('offline')
        if (stopped) return
        // 1008: the token expired while open; a refresh gives the next socket a fresh one.
        const again = async () => {
          if (e.code === 1008) await session.refresh()
          void connect()
        }
        timer = setTimeout(() => void again(), Math.min(30_000, 500 * 2 ** attempt++))
      }
    }
    void connect()
    return () => {
      stopped = true
      clearTimeout(timer)
      followUps.forEach(clearTimeout)
      ws?.close()
    }
  }, [enabled, staff, qc])
  return state
}
