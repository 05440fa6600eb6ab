// A real `ws` client for the live feed's tests (gateway and end to end): every message it
// receives is collected, so a test waits for the one it expects instead of sleeping.
import WebSocket from 'ws'
import { createCollector } from '@brokerage/platform/testing'

// The tests read fields of whatever message arrived.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Received = Record<string, any>

export interface LiveClient {
  socket: WebSocket
  /** The server's first message. */
  ready: Received
  messages: Received[]
  /** Event messages received so far. */
  events(): Received[]
  /** Resolves with the first message (already received or still to come) that matches. */
  received(match: (m: Received) => boolean, what?: string): Promise<Received>
  /** Sends a request and resolves with the next non-event message (its answer). */
  request(message: unknown): Promise<Received>
  /**
   * A ping round trip: the server answers it after everything it sent before, so once it
   * resolves every message dispatched to this socket so far has arrived.
   */
  barrier(): Promise<void>
  /** The close code, once the server closes the socket. */
  closed: Promise<number>
  close(): void
}

export async function openSocket(url: string, token?: string): Promise<LiveClient> {
  const socket = new WebSocket(url, token ? { headers: { authorization: `Bearer ${token}` } } : {})
  const inbox = createCollector<Received>()
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)))
  socket.on('message', (data) => inbox.push(JSON.parse(String(data)) as Received))
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  const [ready] = await inbox.until((m) => m.length > 0, { what: 'the ready message' })

  const client: LiveClient = {
    socket,
    ready: ready!,
    messages: inbox.items,
    events: () => inbox.items.filter((m) => m.type === 'event'),
    async received(match, what = 'a matching message') {
      const items = await inbox.until((m) => m.some(match), { what })
      return items.find(match)!
    },
    async request(message) {
      const answers = () => inbox.items.filter((m) => m.type !== 'event' && m.type !== 'unsubscribed')
      const before = answers().length
      socket.send(JSON.stringify(message))
      await inbox.until(() => answers().length > before, { what: `the answer to ${JSON.stringify(message)}` })
      return answers()[before]!
    },
    barrier: () =>
      new Promise<void>((resolve) => {
        socket.once('pong', () => resolve())
        socket.ping()
      }),
    closed,
    close: () => socket.close(),
  }
  return client
}

/** Opens a socket expecting the upgrade to be refused: the HTTP status and body. */
export function refusal(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers })
    socket.on('open', () => {
      socket.close()
      reject(new Error(`the upgrade to ${url} was accepted`))
    })
    socket.on('unexpected-response', (req, res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body })
        req.destroy()
      })
    })
    socket.on('error', () => {})
  })
}

/** The gateway live feed's consumer groups on a pglog bus, as the bus's own tables list them (`query` runs SQL on the bus database). */
export async function liveFeedGroups(query: (sql: string) => Promise<{ rows: Array<{ group_id: string }> }>): Promise<string[]> {
  const { rows } = await query(
    `SELECT group_id FROM bus_members WHERE group_id LIKE 'gateway-live-%'
     UNION SELECT group_id FROM bus_offsets WHERE group_id LIKE 'gateway-live-%'`,
  )
  return rows.map((r) => r.group_id)
}
