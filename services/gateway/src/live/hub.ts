import type { AuthPrincipal } from '../tokens.js'
import { ALL, type ServerMessage } from './messages.js'

/** What the hub needs of a socket (a `ws` WebSocket has all of it). */
export interface Peer {
  /** Bytes queued by send() and not yet handed to the kernel. */
  readonly bufferedAmount: number
  send(data: string): void
  ping(): void
  close(code: number, reason: string): void
  terminate(): void
}

export interface Connection {
  readonly peer: Peer
  readonly principal: AuthPrincipal
  /** Customers this socket watches. */
  readonly customers: Set<string>
  /** Subscribed to `*`: an admin's every customer, a broker's assigned ones. */
  all: boolean
  /** A pong (or any frame) came since the last ping. */
  alive: boolean
  closing: boolean
}

export interface HubCounters {
  sent(n: number): void
  slowConsumerClosed(): void
}

/** Close codes (RFC 6455 §7.4.1), as the README lists them. */
export const CLOSE = {
  GOING_AWAY: 1001,
  POLICY: 1008,
  TRY_AGAIN_LATER: 1013,
} as const

export interface HubOptions {
  /**
   * A socket whose unsent bytes would pass this is closed (1013) rather than buffered:
   * one slow reader must not grow the gateway's memory without bound.
   */
  maxBufferedBytes: number
  /** How long a closed slow socket has to finish its closing handshake before it is cut. */
  closeGraceMs: number
  counters: HubCounters
}

/**
 * Every open socket of this gateway instance and what each watches, indexed by customer so
 * an event costs one lookup and one JSON.stringify however many sockets receive it.
 */
export function createHub(opts: HubOptions) {
  const connections = new Set<Connection>()
  const byCustomer = new Map<string, Set<Connection>>()
  // Admins subscribed to `*`; brokers' `*` resolves to customer ids instead.
  const everyone = new Set<Connection>()

  /** Closes a socket and cuts it if its closing handshake does not finish in time. */
  function close(conn: Connection, code: number, reason: string): void {
    conn.closing = true
    conn.peer.close(code, reason)
    // The close frame queues behind whatever the reader has not read; do not wait forever.
    setTimeout(() => conn.peer.terminate(), opts.closeGraceMs).unref()
  }

  function send(conn: Connection, text: string): boolean {
    if (conn.closing) return false
    if (conn.peer.bufferedAmount + Buffer.byteLength(text) > opts.maxBufferedBytes) {
      opts.counters.slowConsumerClosed()
      close(conn, CLOSE.TRY_AGAIN_LATER, 'slow consumer: send buffer full')
      return false
    }
    conn.peer.send(text)
    opts.counters.sent(1)
    return true
  }

  function subscribe(conn: Connection, customerId: string): void {
    if (customerId === ALL) {
      conn.all = true
      if (conn.principal.role === 'ADMIN') everyone.add(conn)
      return
    }
    conn.customers.add(customerId)
    let set = byCustomer.get(customerId)
    if (!set) byCustomer.set(customerId, (set = new Set()))
    set.add(conn)
  }

  function unsubscribe(conn: Connection, customerId: string): void {
    if (customerId === ALL) {
      conn.all = false
      everyone.delete(conn)
      // A broker's `*` is the customers it resolved to; leaving `*` leaves them too.
      if (conn.principal.role === 'BROKER') for (const id of [...conn.customers]) unsubscribe(conn, id)
      return
    }
    conn.customers.delete(customerId)
    const set = byCustomer.get(customerId)
    set?.delete(conn)
    if (set?.size === 0) byCustomer.delete(customerId)
  }

  return {
    connections,
    open(peer: Peer, principal: AuthPrincipal): Connection {
      const conn: Connection = { peer, principal, customers: new Set(), all: false, alive: true, closing: false }
      connections.add(conn)
      return conn
    },
    closed(conn: Connection): void {
      conn.closing = true
      connections.delete(conn)
      everyone.delete(conn)
      for (const id of conn.customers) unsubscribe(conn, id)
    },
    subscribe,
    unsubscribe,
    reply(conn: Connection, message: ServerMessage): void {
      send(conn, JSON.stringify(message))
    },
    /** Sends to every socket watching the customer (each once). */
    dispatch(customerId: string, message: ServerMessage): void {
      const watching = byCustomer.get(customerId)
      if (!watching?.size && !everyone.size) return
      const text = JSON.stringify(message)
      for (const conn of everyone) send(conn, text)
      if (watching) for (const conn of watching) if (!everyone.has(conn)) send(conn, text)
    },
    /**
     * A customer changed broker: sockets of other brokers stop watching them (the REST API
     * refuses them from now on too), and the new broker's `*` sockets start.
     */
    brokerAssigned(customerId: string, brokerId: string | null): void {
      for (const conn of [...(byCustomer.get(customerId) ?? [])]) {
        if (conn.principal.role === 'BROKER' && conn.principal.brokerId !== brokerId) {
          unsubscribe(conn, customerId)
          send(conn, JSON.stringify({ type: 'unsubscribed', customerId, reason: 'BROKER_REASSIGNED' } satisfies ServerMessage))
        }
      }
      if (!brokerId) return
      for (const conn of connections) {
        if (conn.all && conn.principal.role === 'BROKER' && conn.principal.brokerId === brokerId && !conn.customers.has(customerId)) {
          subscribe(conn, customerId)
          send(conn, JSON.stringify({ type: 'subscribed', customerId } satisfies ServerMessage))
        }
      }
    },
    /**
     * A sign-in session ended (sign-out, refresh token reuse, password change, suspension; on
     * this instance or another): its sockets close (1008) now, not when their token expires.
     */
    sessionEnded(sessionId: string): void {
      for (const conn of connections) {
        if (conn.principal.sessionId === sessionId && !conn.closing) close(conn, CLOSE.POLICY, 'session ended')
      }
    },
    /** Pings every socket; one that has not answered the previous ping is cut (a dead peer sends no close). */
    heartbeat(): void {
      for (const conn of connections) {
        if (!conn.alive) {
          conn.peer.terminate()
          continue
        }
        conn.alive = false
        conn.peer.ping()
      }
    },
    /** Server stop: every socket is told to come back later. */
    closeAll(): void {
      for (const conn of connections) {
        conn.closing = true
        conn.peer.close(CLOSE.GOING_AWAY, 'gateway stopping')
      }
    },
  }
}

export type Hub = ReturnType<typeof createHub>
