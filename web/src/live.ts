// The live feed (/api/ws): every event about the signed-in customer (or, for staff, every
// customer they may see) invalidates the queries it changes, so lists and balances refetch
// and change on screen without a reload. The socket carries no replay, so after a reconnect
// everything is refetched once.
import { useEffect, useState } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { session } from './api.ts'

export type LiveState = 'connecting' | 'live' | 'offline'

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
          case 'trade':
            void qc.invalidateQueries({ queryKey: ['orders'] })
            void qc.invalidateQueries({ queryKey: ['order'] })
            void qc.invalidateQueries({ queryKey: ['orderbook'] })
            void qc.invalidateQueries({ queryKey: ['trail'] })
            break
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
      ws?.close()
    }
  }, [enabled, staff, qc])
  return state
}
